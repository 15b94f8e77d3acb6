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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
  /** After a non-zero launcher exit: how long a VM that did start gets to show up. */
  static final Duration NONZERO_EXIT_GRACE = Duration.ofSeconds(5);

  private static final System.Logger LOG = System.getLogger(WindowsSandboxInstance.class.getName());

  private final WindowsPlatform platform;
  private final WindowsSandboxProcesses processes;
  private final Path launcher;
  private final Path wsb;
  private final Path bootstrapLog;
  private final AtomicReference<VmOwnership> ownership = new AtomicReference<>(VmOwnership.NOT_LAUNCHED);
  private final AtomicBoolean launched = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean mayHaveStarted = true;
  /** The WindowsSandbox* processes running before our launch: never claimed. */
  private volatile HostSnapshot before = HostSnapshot.EMPTY;

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
   * LaunchInFlight, snapshot the {@code WindowsSandbox*} processes, run the launcher and wait for it,
   * snapshot again (W13: only identities that appeared are ever claimed):
   *
   * <ul>
   *   <li>exit 0 and something was already running but nothing new appeared: WindowsSandbox.exe
   *       merely focused a foreign sandbox (the VM is a singleton). LAUNCH_FAILED, stays in flight:
   *       nothing is torn down.
   *   <li>exit 0 otherwise: LaunchSucceededNoProof; {@link #captureProof()} claims what appears.
   *   <li>non-zero exit, but new identities appeared (at once or within {@link #NONZERO_EXIT_GRACE}):
   *       a VM did start, so it is ours and must be torn down; the run goes on (Owned).
   *   <li>non-zero exit and nothing new: LAUNCH_FAILED, stays in flight.
   * </ul>
   *
   * A probe failure before the launch refuses it (nothing started); a spawn failure started nothing;
   * a launcher that does not exit in time was destroyed and may have started a VM.
   */
  @Override
  public void launch() throws SandboxException {
    if (!launched.compareAndSet(false, true)) {
      throw new IllegalStateException("this Windows Sandbox instance was already launched");
    }
    ownership.set(VmOwnership.LAUNCH_IN_FLIGHT);
    Optional<HostSnapshot> beforeProbe = processes.snapshot();
    if (beforeProbe.isEmpty()) {
      mayHaveStarted = false;
      throw new SandboxException(FailurePhase.LAUNCH_FAILED, LAUNCH_FAILED,
          "could not enumerate the WindowsSandbox host processes before the launch; nothing was started."
              + " Retry; if it persists, restart the Windows Sandbox service");
    }
    before = beforeProbe.get();
    int exit;
    try {
      exit = platform.launcher().launch(launcher, wsb);
    } catch (SandboxLauncher.TimedOut e) {
      throw new SandboxException(FailurePhase.LAUNCH_FAILED, LAUNCH_FAILED,
          e.getMessage() + "; it was stopped. A VM it may have started is left for the next run's"
              + " reconcile or `sandboxkit cleanup --force-reclaim`", e);
    } catch (IOException e) {
      mayHaveStarted = false;
      throw new SandboxException(FailurePhase.LAUNCH_FAILED, LAUNCH_FAILED,
          "starting " + launcher + " failed: " + e.getMessage(), e);
    }
    List<VmProcId> fresh = fresh(processes.snapshot());
    if (exit == 0) {
      if (fresh.isEmpty() && before.anyPresent()) {
        throw new SandboxException(FailurePhase.LAUNCH_FAILED, LAUNCH_FAILED,
            "a Windows Sandbox was already running (" + describe(before) + ") and " + launcher.getFileName()
                + " exited 0 without starting a new one; close the other sandbox and retry");
      }
      ownership.compareAndSet(VmOwnership.LAUNCH_IN_FLIGHT,
          fresh.isEmpty() ? VmOwnership.LAUNCH_SUCCEEDED_NO_PROOF : new VmOwnership.Owned(fresh));
      return;
    }
    if (fresh.isEmpty()) {
      fresh = ProofCapture.capture(() -> processes.snapshot().map(s -> HostSnapshot.of(fresh(Optional.of(s)))),
          ProofCapture.DEFAULT_POLL, NONZERO_EXIT_GRACE, platform.timing()).orElse(List.of());
    }
    if (fresh.isEmpty()) {
      throw new SandboxException(FailurePhase.LAUNCH_FAILED, LAUNCH_FAILED,
          launcher.getFileName() + " exited with code " + exit + "; check that Windows Sandbox starts"
              + " by hand and that no other sandbox window is open");
    }
    LOG.log(System.Logger.Level.WARNING, "{0} exited with code {1}, but a new Windows Sandbox VM started"
        + " ({2}): it is this run's and will be torn down with it", launcher.getFileName(), exit, fresh);
    ownership.compareAndSet(VmOwnership.LAUNCH_IN_FLIGHT, new VmOwnership.Owned(fresh));
  }

  /** False only when the launch certainly started nothing (probe refused it, or the spawn failed). */
  @Override
  public boolean mayHaveStarted() {
    return mayHaveStarted;
  }

  /** The identities in {@code after} that were not in the pre-launch snapshot, in order. */
  private List<VmProcId> fresh(Optional<HostSnapshot> after) {
    if (after.isEmpty()) {
      return List.of();
    }
    Set<VmProcId> old = new HashSet<>(before.identified());
    List<VmProcId> fresh = new ArrayList<>();
    for (VmProcId id : after.get().identified()) {
      if (!old.contains(id)) {
        fresh.add(id);
      }
    }
    return fresh;
  }

  private static String describe(HostSnapshot s) {
    List<String> parts = new ArrayList<>();
    s.identified().forEach(id -> parts.add("pid " + id.pid()));
    s.unidentifiable().forEach(pid -> parts.add("pid " + pid + " (not openable)"));
    return String.join(", ", parts);
  }

  @Override
  public List<VmProcId> captureProof() {
    return captureProof(ProofCapture.DEFAULT_POLL, ProofCapture.DEFAULT_TIMEOUT);
  }

  /**
   * Polls for the proof: only identities that were not running before the launch (W13); Owned(proof)
   * when seen. Outside LaunchSucceededNoProof returns what is known.
   */
  List<VmProcId> captureProof(Duration poll, Duration timeout) {
    VmOwnership o = ownership.get();
    if (!(o instanceof VmOwnership.LaunchSucceededNoProof)) {
      return o instanceof VmOwnership.Owned owned ? owned.proof() : List.of();
    }
    Optional<List<VmProcId>> proof = ProofCapture.capture(
        () -> processes.snapshot().map(s -> HostSnapshot.of(fresh(Optional.of(s)))), poll, timeout,
        platform.timing());
    if (proof.isEmpty()) {
      LOG.log(System.Logger.Level.WARNING, "no WindowsSandbox host process seen within {0} ms of the launch;"
          + " teardown will enumerate", timeout.toMillis());
      return List.of();
    }
    ownership.compareAndSet(VmOwnership.LAUNCH_SUCCEEDED_NO_PROOF, new VmOwnership.Owned(proof.get()));
    return proof.get();
  }

  /**
   * W7: one snapshot after the handshake; identities that appeared since the launch and are not in
   * {@code proof} are appended (the union; none removed). A failed probe changes nothing. Only while
   * the launch succeeded (LaunchSucceededNoProof or Owned).
   */
  @Override
  public List<VmProcId> refreshProof(List<VmProcId> proof) {
    VmOwnership o = ownership.get();
    if (!(o instanceof VmOwnership.LaunchSucceededNoProof || o instanceof VmOwnership.Owned)) {
      return proof;
    }
    List<VmProcId> union = new ArrayList<>(proof);
    for (VmProcId id : fresh(processes.snapshot())) {
      if (!union.contains(id)) {
        union.add(id);
      }
    }
    if (union.size() == proof.size()) {
      return proof;
    }
    ownership.set(new VmOwnership.Owned(List.copyOf(union)));
    return List.copyOf(union);
  }

  /**
   * Alive unless a successful probe shows no {@code WindowsSandbox*} process at all (while we hold
   * the host slot every such process is ours, and early proof processes may exit while the VM runs).
   */
  /** The run's rendezvous folder is mapped into the VM: the host reads it where it is. */
  @Override
  public Path rendezvousView(Path hostDir) {
    return hostDir;
  }

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
