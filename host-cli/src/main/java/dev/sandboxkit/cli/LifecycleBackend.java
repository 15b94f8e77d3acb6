package dev.sandboxkit.cli;

import dev.sandboxkit.lifecycle.ExecutionRequest;
import dev.sandboxkit.lifecycle.ExecutionResult;
import dev.sandboxkit.lifecycle.FailurePhase;
import dev.sandboxkit.OneShotRunner;
import dev.sandboxkit.lifecycle.PrepareResult;
import dev.sandboxkit.lifecycle.SandboxDriver;
import dev.sandboxkit.SandboxDrivers;
import dev.sandboxkit.lifecycle.SandboxException;
import dev.sandboxkit.lifecycle.SandboxListener;
import dev.sandboxkit.lifecycle.SandboxPolicy;
import dev.sandboxkit.lifecycle.internal.vm.GuestJar;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The real {@link Backend}: the lifecycle library's drivers and one-shot runner. */
final class LifecycleBackend implements Backend {
  private static final List<String> CONCRETE = List.of("bubblewrap", "windows-sandbox");

  private final Map<String, SandboxDriver> drivers = new HashMap<>();

  @Override
  public String resolveDriver(String name) {
    return driver(name).name();
  }

  private synchronized SandboxDriver driver(String name) {
    String key = name == null ? "auto" : name.trim().toLowerCase(Locale.ROOT);
    SandboxDriver d = drivers.get(key);
    if (d != null) {
      return d;
    }
    try {
      d = SandboxDrivers.byName(key);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("unknown driver '" + Text.escape(name) + "'",
          "use --driver " + String.join(", ", SandboxDrivers.NAMES));
    } catch (IllegalStateException e) {
      throw new CliException("the " + key + " driver is not available",
          "use --driver bubblewrap on Linux, windows-sandbox on Windows", String.valueOf(e.getMessage()),
          ExitCodes.SANDBOX_FAILED);
    }
    drivers.put(key, d);
    drivers.put(d.name(), d);
    return d;
  }

  @Override
  public ExecutionResult run(String driver, ExecutionRequest request, SandboxPolicy policy,
      SandboxListener listener, boolean forceReclaim) {
    OneShotRunner.Builder b = OneShotRunner.builder(driver(driver)).policy(policy).listener(listener);
    if (forceReclaim) {
      b.forceReclaim(true); // otherwise the runner's default: env SANDBOXKIT_FORCE_RECLAIM / WXC_WSB_FORCE_RECLAIM
    }
    return b.build().run(request);
  }

  @Override
  public PrepareResult prepare(String driver, SandboxListener listener) throws SandboxException {
    return OneShotRunner.builder(driver(driver)).listener(listener).build().prepare();
  }

  @Override
  public List<DriverReport> doctor() {
    String def = resolveDefault();
    List<DriverReport> reports = new ArrayList<>();
    List<String> order = new ArrayList<>(CONCRETE);
    order.remove(def);
    order.add(0, def);
    for (String name : order) {
      List<SandboxDriver.Check> checks = new ArrayList<>();
      try {
        checks.addAll(driver(name).prerequisites());
      } catch (CliException e) {
        checks.add(new SandboxDriver.Check(name + " driver available", false, e.detail(), e.whatToDo()));
      } catch (RuntimeException e) {
        checks.add(new SandboxDriver.Check(name + " driver prerequisites", false,
            e.getClass().getSimpleName() + ": " + e.getMessage(), "rerun with --verbose and report it"));
      }
      if (name.equals(def) && checks.stream().noneMatch(c -> c.name().toLowerCase(Locale.ROOT).contains("guest"))) {
        checks.add(guestJarCheck());
      }
      reports.add(new DriverReport(name, name.equals(def), List.copyOf(checks)));
    }
    return reports;
  }

  /** The guest agent jar, found as a run would find it. */
  static SandboxDriver.Check guestJarCheck() {
    try {
      Path jar = GuestJar.locate();
      return new SandboxDriver.Check("guest agent jar found", true, jar.toString(), "");
    } catch (SandboxException e) {
      return new SandboxDriver.Check("guest agent jar found", false, e.detail(),
          "run ./sandboxkit (it builds the jars), or set -D" + GuestJar.PROPERTY + "=PATH or "
              + GuestJar.ENV + "=PATH");
    }
  }

  private String resolveDefault() {
    try {
      return driver("auto").name();
    } catch (CliException e) {
      return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")
          ? "windows-sandbox" : "bubblewrap";
    }
  }

  /** The library's cleanup ({@link OneShotRunner#cleanup}); its refusals are reports, its failures errors. */
  @Override
  public CleanupReport cleanup(String driverName, boolean forceReclaim) {
    OneShotRunner.Builder b = OneShotRunner.builder(driver(driverName));
    if (forceReclaim) {
      b.forceReclaim(true); // otherwise the runner's default, as for run
    }
    try {
      return report(b.build().cleanup());
    } catch (SandboxException e) {
      return refusal(e);
    }
  }

  /** The library's report, a line each. */
  static CleanupReport report(String libraryReport) {
    return new CleanupReport(false, libraryReport.lines().toList());
  }

  /** A REJECTED cleanup (busy slot, a live run, an unprovable sandbox) is a refusal (exit 1); else an error. */
  static CleanupReport refusal(SandboxException e) {
    String line = e.detail().isEmpty() ? e.getMessage() : e.getMessage() + "; " + e.detail();
    if (e.phase() == FailurePhase.REJECTED) {
      return new CleanupReport(true, List.of(line));
    }
    throw new CliException("cleanup failed: " + Text.escape(e.getMessage()),
        "retry; if it keeps failing rerun with --verbose", Text.escape(e.detail()), ExitCodes.SANDBOX_FAILED);
  }
}
