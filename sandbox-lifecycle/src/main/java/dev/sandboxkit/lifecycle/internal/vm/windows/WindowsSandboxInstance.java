package dev.sandboxkit.lifecycle.internal.vm.windows;

import dev.sandboxkit.lifecycle.internal.vm.DriverSpi;
import dev.sandboxkit.lifecycle.FailurePhase;
import dev.sandboxkit.lifecycle.SandboxException;
import dev.sandboxkit.lifecycle.internal.controlplane.HostSnapshot;
import dev.sandboxkit.lifecycle.internal.controlplane.VmProcId;
import dev.sandboxkit.lifecycle.internal.teardown.VmOwnership;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One Windows Sandbox VM: launch, proof, liveness. Tracks {@code NotLaunched -> LaunchInFlight ->
 * LaunchSucceededNoProof -> Owned(proof)} (§3.1) for its own decisions; the runner's teardown guard
 * holds the authoritative copy and tears down through the driver's killer. {@link #close()} adds
 * the 5 s cooldown once a VM was launched.
 */
final class WindowsSandboxInstance implements DriverSpi.Instance {
  static final String LAUNCH_FAILED = "Failed to launch the Windows Sandbox VM.";
  static final int LOG_TAIL_BYTES = 2048;

  private static final System.Logger LOG = System.getLogger(WindowsSandboxInstance.class.getName());

  private final WindowsPlatform platform;
  private final WindowsSandboxProcesses processes;
  private final Path launcher;
  private final Path wsb;
  private final Path bootstrapLog;
  private final AtomicReference<VmOwnership> ownership = new AtomicReference<>(VmOwnership.NOT_LAUNCHED);
  private final AtomicBoolean launched = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();

  WindowsSandboxInstance(WindowsPlatform platform, WindowsSandboxProcesses processes, Path launcher, Path wsb,
      Path bootstrapLog) {
    this.platform = platform;
    this.processes = processes;
    this.launcher = launcher;
    this.wsb = wsb;
    this.bootstrapLog = bootstrapLog;
  }

  /** The current ownership state. */
  VmOwnership ownership() {
    return ownership.get();
  }

  /**
   * LaunchInFlight, run the launcher and wait for it; exit 0 gives LaunchSucceededNoProof. A spawn
   * error or non-zero exit leaves LaunchInFlight (ambiguous: never torn down).
   */
  @Override
  public void launch() throws SandboxException {
    if (!launched.compareAndSet(false, true)) {
      throw new IllegalStateException("this Windows Sandbox instance was already launched");
    }
    ownership.set(VmOwnership.LAUNCH_IN_FLIGHT);
    int exit;
    try {
      exit = platform.launcher().launch(launcher, wsb);
    } catch (IOException e) {
      throw new SandboxException(FailurePhase.LAUNCH_FAILED, LAUNCH_FAILED,
          "starting " + launcher + " failed: " + e.getMessage(), e);
    }
    if (exit != 0) {
      throw new SandboxException(FailurePhase.LAUNCH_FAILED, LAUNCH_FAILED,
          launcher.getFileName() + " exited with code " + exit + "; check that Windows Sandbox starts"
              + " by hand and that no other sandbox window is open");
    }
    ownership.compareAndSet(VmOwnership.LAUNCH_IN_FLIGHT, VmOwnership.LAUNCH_SUCCEEDED_NO_PROOF);
  }

  @Override
  public List<VmProcId> captureProof() {
    return captureProof(ProofCapture.DEFAULT_POLL, ProofCapture.DEFAULT_TIMEOUT);
  }

  /** Polls for the proof; Owned(proof) when seen. Outside LaunchSucceededNoProof returns what is known. */
  List<VmProcId> captureProof(Duration poll, Duration timeout) {
    VmOwnership o = ownership.get();
    if (!(o instanceof VmOwnership.LaunchSucceededNoProof)) {
      return o instanceof VmOwnership.Owned owned ? owned.proof() : List.of();
    }
    Optional<List<VmProcId>> proof = ProofCapture.capture(processes::snapshot, poll, timeout, platform.timing());
    if (proof.isEmpty()) {
      LOG.log(System.Logger.Level.WARNING, "no WindowsSandbox host process seen within {0} ms of the launch;"
          + " teardown will enumerate", timeout.toMillis());
      return List.of();
    }
    ownership.compareAndSet(VmOwnership.LAUNCH_SUCCEEDED_NO_PROOF, new VmOwnership.Owned(proof.get()));
    return proof.get();
  }

  /**
   * Alive unless a successful probe shows no {@code WindowsSandbox*} process at all (while we hold
   * the host slot every such process is ours, and early proof processes may exit while the VM runs).
   */
  @Override
  public DriverSpi.Liveness liveness() {
    VmOwnership o = ownership.get();
    if (o instanceof VmOwnership.Owned owned) {
      for (VmProcId id : owned.proof()) {
        if (processes.isAlive(id)) {
          return DriverSpi.Liveness.ALIVE;
        }
      }
    }
    Optional<HostSnapshot> s = processes.snapshot();
    if (s.isEmpty() || s.get().anyPresent()) {
      return DriverSpi.Liveness.ALIVE;
    }
    return new DriverSpi.Liveness(false, "the Windows Sandbox VM is no longer running"
        + logTail().map(t -> "; " + BootstrapScript.LOG_NAME + " ends with:\n" + t).orElse(""));
  }

  /** The 5 s cooldown after a launched VM was torn down (Hyper-V releases it); once; never throws. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    VmOwnership o = ownership.get();
    if (o instanceof VmOwnership.LaunchSucceededNoProof || o instanceof VmOwnership.Owned) {
      WindowsSandboxDriver.sleepQuietly(platform.timing(), WindowsSandboxDriver.COOLDOWN);
    }
  }

  private Optional<String> logTail() {
    try {
      byte[] all = Files.readAllBytes(bootstrapLog);
      byte[] tail = Arrays.copyOfRange(all, Math.max(0, all.length - LOG_TAIL_BYTES), all.length);
      String s = new String(tail, StandardCharsets.UTF_8).strip();
      return s.isEmpty() ? Optional.empty() : Optional.of(s);
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
