package dev.sandboxkit.cli;

import dev.sandboxkit.lifecycle.ExecutionRequest;
import dev.sandboxkit.lifecycle.ExecutionResult;
import dev.sandboxkit.lifecycle.SandboxListener;
import dev.sandboxkit.lifecycle.SandboxPolicy;
import dev.sandboxkit.lifecycle.internal.vm.GuestPlatform;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** A backend that records what the CLI asked for and answers with canned results. */
final class FakeBackend implements Backend {
  String driverName = "bubblewrap";
  Function<ExecutionRequest, ExecutionResult> onRun =
      r -> new ExecutionResult(0, null, null, "", "", dev.sandboxkit.lifecycle.FailurePhase.NONE);
  List<DriverReport> reports = List.of();
  CleanupReport cleanupReport = new CleanupReport(false, List.of());

  final List<Run> runs = new ArrayList<>();

  /** One recorded run: the request, the sandbox policy, and the script the driver's guest would run. */
  record Run(String driver, ExecutionRequest request, SandboxPolicy policy) {
    String commandLine() {
      return (driver.equals("windows-sandbox") ? GuestPlatform.WINDOWS_CMD : GuestPlatform.POSIX)
          .script(request.command());
    }

    java.util.Optional<java.io.InputStream> stdin() {
      return request.stdin();
    }

    java.util.Optional<java.io.OutputStream> stdout() {
      return request.stdout();
    }

    java.util.Optional<java.io.OutputStream> stderr() {
      return request.stderr();
    }

    java.util.Optional<java.time.Duration> timeout() {
      return request.timeout();
    }

    String workingDirectory() {
      return request.workingDirectory();
    }
  }
  final List<Boolean> forceReclaims = new ArrayList<>();
  final List<String> cleanups = new ArrayList<>();
  /** The stdin bytes the fake read (when a stdin stream was given). */
  byte[] stdinSeen;

  @Override
  public String resolveDriver(String name) {
    if (name.equals("auto")) {
      return driverName;
    }
    if (!name.equals("bubblewrap") && !name.equals("windows-sandbox")) {
      throw CliException.usage("unknown driver '" + name + "'",
          "use --driver auto, bubblewrap, windows-sandbox");
    }
    return name;
  }

  /** What prepare answers; a REJECTED exception when {@link #prepareFailure} is set. */
  java.util.function.BiFunction<String, SandboxListener, dev.sandboxkit.lifecycle.PrepareResult> onPrepare =
      (d, l) -> new dev.sandboxkit.lifecycle.PrepareResult(dev.sandboxkit.lifecycle.PrepareResult.Status.ALREADY_PRESENT,
          java.util.Optional.of(java.nio.file.Path.of("/cache/cds/guest-1-2.jsa")), java.time.Duration.ZERO, "");
  dev.sandboxkit.lifecycle.SandboxException prepareFailure;
  final List<String> prepares = new ArrayList<>();

  @Override
  public dev.sandboxkit.lifecycle.PrepareResult prepare(String driver, SandboxListener listener)
      throws dev.sandboxkit.lifecycle.SandboxException {
    prepares.add(driver);
    if (prepareFailure != null) {
      throw prepareFailure;
    }
    return onPrepare.apply(driver, listener);
  }

  @Override
  public ExecutionResult run(String driver, ExecutionRequest request, SandboxPolicy policy,
      SandboxListener listener, boolean forceReclaim) {
    runs.add(new Run(driver, request, policy));
    forceReclaims.add(forceReclaim);
    request.stdin().ifPresent(in -> {
      try {
        stdinSeen = in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    listener.prepareStart("sb");
    listener.prepareEnd("sb");
    listener.launchStart("sb");
    listener.launchEnd("sb");
    listener.execStart("sb", "ex");
    ExecutionResult result = onRun.apply(request);
    listener.execEnd("sb", "ex", result);
    listener.teardownStart("sb");
    listener.teardownEnd("sb");
    return result;
  }

  /** A run that streams {@code out}/{@code err} to the request's streams (or captures them). */
  static Function<ExecutionRequest, ExecutionResult> printing(String out, String err, int exit) {
    return r -> {
      byte[] o = out.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      byte[] e = err.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      r.stdout().ifPresent(s -> write(s, o));
      r.stderr().ifPresent(s -> write(s, e));
      return new ExecutionResult(exit, r.stdout().isPresent() ? null : o,
          r.stderr().isPresent() ? null : e, "", "",
          exit == 0 ? dev.sandboxkit.lifecycle.FailurePhase.NONE
              : dev.sandboxkit.lifecycle.FailurePhase.PROCESS_EXITED);
    };
  }

  private static void write(java.io.OutputStream s, byte[] b) {
    try {
      s.write(b);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public List<DriverReport> doctor() {
    return reports;
  }

  @Override
  public CleanupReport cleanup(String driver, boolean forceReclaim) {
    cleanups.add(driver + (forceReclaim ? " force" : ""));
    return cleanupReport;
  }

  static ByteArrayOutputStream bytes() {
    return new ByteArrayOutputStream();
  }
}
