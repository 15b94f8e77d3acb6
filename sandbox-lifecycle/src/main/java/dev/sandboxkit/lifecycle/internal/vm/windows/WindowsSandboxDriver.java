package dev.sandboxkit.lifecycle.internal.vm.windows;

import dev.sandboxkit.lifecycle.internal.vm.DriverSpi;
import dev.sandboxkit.lifecycle.internal.vm.GuestPlatform;
import dev.sandboxkit.lifecycle.FailurePhase;
import dev.sandboxkit.lifecycle.SandboxException;
import dev.sandboxkit.lifecycle.SandboxPolicy;
import dev.sandboxkit.lifecycle.internal.controlplane.HostSlot;
import dev.sandboxkit.lifecycle.internal.policy.MappedFolder;
import dev.sandboxkit.lifecycle.internal.policy.PolicyPlan;
import dev.sandboxkit.lifecycle.internal.policy.DriverCapabilities;
import dev.sandboxkit.lifecycle.internal.policy.PolicyPlanner;
import dev.sandboxkit.lifecycle.internal.policy.SandboxWriters;
import dev.sandboxkit.lifecycle.internal.teardown.MarkerStore;
import dev.sandboxkit.lifecycle.internal.teardown.ReconcileDecision.BusyReason;
import dev.sandboxkit.lifecycle.internal.teardown.ReconcileResult;
import dev.sandboxkit.lifecycle.internal.teardown.Reconciler;
import dev.sandboxkit.lifecycle.internal.teardown.SandboxKiller;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code windows-sandbox} driver: one disposable Windows Sandbox VM per run, launched from a
 * generated {@code .wsb} (see {@link WsbFile}, {@link BootstrapScript}), owned through the host
 * mutex {@code Local\wxc-wsb-vm} and PID + FILETIME proof, torn down by identity through {@link
 * #killer()}.
 *
 * <p>Construction touches no native library; availability is checked in {@link #checkEnforceable}
 * and {@link #prerequisites()}.
 */
public final class WindowsSandboxDriver implements DriverSpi {
  static final String NAME = "windows-sandbox";
  static final String CONFIG_DIR = "config";
  static final String WSB_NAME = "sandboxkit.wsb";
  static final String PREPARE_FAILED = "Failed to prepare the Windows Sandbox launch files.";
  /** How long Hyper-V gets to release a VM after a teardown before the next launch. */
  static final Duration COOLDOWN = Duration.ofSeconds(5);

  private final WindowsPlatform platform;
  private final WindowsSandboxSettings settings;
  private final WindowsSandboxProcesses processes;

  /** The real driver (used by {@code SandboxDrivers}); settings from system properties. */
  public WindowsSandboxDriver() {
    this(WindowsPlatform.real(), null);
  }

  /** @param settings null = read from system properties when a run is prepared */
  WindowsSandboxDriver(WindowsPlatform platform, WindowsSandboxSettings settings) {
    this.platform = platform;
    this.settings = settings;
    this.processes = new WindowsSandboxProcesses(platform.processes());
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public GuestPlatform platform() {
    return GuestPlatform.WINDOWS_CMD;
  }

  @Override
  public Transport transport() {
    return Transport.TCP;
  }

  Availability availability() {
    return Availability.check(platform.isWindows(), platform.systemDirectory(), platform.isFile());
  }

  @Override
  public List<Check> prerequisites() {
    List<Check> checks = new ArrayList<>();
    boolean windows = platform.isWindows();
    checks.add(new Check("Windows host", windows,
        windows ? System.getProperty("os.name", "Windows") : "Windows Sandbox runs only on Windows",
        windows ? "" : "use the bubblewrap driver on Linux"));
    if (windows) {
      Availability a;
      try {
        a = availability();
      } catch (RuntimeException e) {
        a = new Availability(Optional.empty(), Availability.UNAVAILABLE, "probe failed: " + e);
      }
      checks.add(new Check("Windows Sandbox feature (" + Availability.FEATURE + ")", a.available(),
          a.available() ? a.launcher().get().toString() : a.detail(),
          a.available() ? "" : "run `" + Availability.ENABLE_COMMAND + "` as administrator, then reboot"));
    }
    return checks;
  }

  /**
   * Availability first (it hides policy errors, as in mxc), then the planner's network rules, then the
   * Windows rules (limits, reserved folders), then the planner's mapping rules.
   */
  @Override
  public PolicyPlan checkEnforceable(SandboxPolicy policy) throws SandboxException {
    Availability a = availability();
    if (!a.available()) {
      throw new SandboxException(FailurePhase.REJECTED, a.summary(), a.detail());
    }
    PolicyPlanner planner = new PolicyPlanner(DriverCapabilities.windowsSandbox(List.of(new DriverCapabilities.Reserved(
        MarkerStore.defaultRoot().getParent(), DriverCapabilities.Extent.OVERLAP,
        "it is sandboxkit's state folder (run folders, nonces)"))), SandboxWriters.NONE);
    planner.checkNetwork(policy);
    Optional<String> problem = WindowsPolicyCheck.problem(policy);
    if (problem.isPresent()) {
      throw new SandboxException(FailurePhase.REJECTED, planner.summary(), problem.get());
    }
    return planner.plan(policy);
  }

  /** The named mutex {@code Local\wxc-wsb-vm}; busy text: {@link NamedMutexHostSlot#busyMessage}. */
  @Override
  public HostSlot hostSlot() {
    return new NamedMutexHostSlot(platform.mutex());
  }

  @Override
  public SandboxKiller killer() {
    return processes;
  }

  /**
   * Protects the root's DACL, then the singleton reconcile (rules' decision table, with this
   * driver's enumeration and FILETIME probes); a 5 s cooldown after a reclaim.
   */
  @Override
  public ReconcileResult reconcile(MarkerStore store, boolean forceReclaim) {
    if (!platform.isWindows()) {
      Availability a = availability();
      return new ReconcileResult.Busy(BusyReason.PROBE_FAILED, a.summary() + " " + a.detail());
    }
    try {
      new WindowsOwnerOnly(platform.dacl()).secureDirectory(store.root());
    } catch (IOException e) {
      return new ReconcileResult.Busy(BusyReason.PROBE_FAILED,
          "could not secure the marker root " + store.root() + ": " + e.getMessage());
    }
    ReconcileResult result = new Reconciler(store, processes, processes).reconcileSingleton(forceReclaim);
    if (result instanceof ReconcileResult.Proceed p && p.note().isPresent()) {
      sleepQuietly(platform.timing(), COOLDOWN);
    }
    return result;
  }

  @Override
  public Instance prepare(Launch launch) throws SandboxException {
    Availability a = availability();
    if (!a.available()) {
      throw new SandboxException(FailurePhase.REJECTED, a.summary(), a.detail());
    }
    String wsb;
    String bootstrap;
    try {
      WindowsSandboxSettings s = settings != null ? settings : WindowsSandboxSettings.from(System::getProperty);
      Path javaHome = s.javaHome().orElse(launch.javaHome());
      List<WsbFile.Folder> mounts = new ArrayList<>();
      for (MappedFolder m : launch.plan().mappedFolders()) {
        mounts.add(new WsbFile.Folder(m.hostPath().toString(), m.hostPath().toString(), m.readOnly()));
      }
      Path guestDir = launch.guestJar().toAbsolutePath().getParent();
      Optional<String> conflict = OwnFolders.conflict(mounts.stream().map(WsbFile.Folder::hostFolder).toList(),
          OwnFolders.of(javaHome.toAbsolutePath().toString(), guestDir.toString(),
              launch.rendezvousDir().toAbsolutePath().toString(), launch.runDir().toAbsolutePath().toString()));
      if (conflict.isPresent()) {
        throw new SandboxException(FailurePhase.REJECTED, PREPARE_FAILED, conflict.get());
      }
      List<WsbFile.Folder> folders = WsbFile.folders(guestDir.toString(), javaHome.toString(),
          launch.rendezvousDir().toAbsolutePath().toString(), mounts);
      wsb = WsbFile.render(folders, WsbFile.logonCommand(WsbFile.BOOTSTRAP), s.memoryInMb());
      List<String> jvmOptions = new ArrayList<>(s.jvmOptions());
      jvmOptions.addAll(WindowsLimits.agentJvmOptions(launch.plan().limits()));
      bootstrap = BootstrapScript.render(launch.guestJar().getFileName().toString(), jvmOptions);
    } catch (IllegalArgumentException e) {
      throw new SandboxException(FailurePhase.REJECTED, PREPARE_FAILED, e.getMessage(), e);
    }
    WindowsOwnerOnly owner = new WindowsOwnerOnly(platform.dacl());
    Path wsbFile;
    try {
      owner.secureDirectory(launch.runDir());
      owner.secureDirectory(launch.rendezvousDir());
      Path config = owner.secureDirectory(launch.runDir().resolve(CONFIG_DIR));
      owner.writeFile(launch.rendezvousDir().resolve(BootstrapScript.FILE_NAME),
          bootstrap.getBytes(StandardCharsets.US_ASCII));
      wsbFile = owner.writeFile(config.resolve(WSB_NAME), wsb.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new SandboxException(FailurePhase.LAUNCH_FAILED, PREPARE_FAILED,
          "writing the launch files in " + launch.runDir() + " failed: " + e.getMessage(), e);
    }
    return new WindowsSandboxInstance(platform, processes, a.launcher().get(), wsbFile,
        launch.rendezvousDir().resolve(BootstrapScript.LOG_NAME));
  }

  static void sleepQuietly(Timing timing, Duration d) {
    try {
      timing.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
