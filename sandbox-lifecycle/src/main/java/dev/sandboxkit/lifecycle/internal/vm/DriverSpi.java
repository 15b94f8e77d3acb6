package dev.sandboxkit.lifecycle.internal.vm;

import dev.sandboxkit.lifecycle.FailurePhase;
import dev.sandboxkit.lifecycle.PrepareResult;
import dev.sandboxkit.lifecycle.SandboxDriver;
import dev.sandboxkit.lifecycle.SandboxException;
import dev.sandboxkit.lifecycle.SandboxPolicy;
import dev.sandboxkit.lifecycle.internal.controlplane.HostSlot;
import dev.sandboxkit.lifecycle.internal.controlplane.VmProcId;
import dev.sandboxkit.lifecycle.internal.policy.PolicyPlan;
import dev.sandboxkit.lifecycle.internal.teardown.MarkerStore;
import dev.sandboxkit.lifecycle.internal.teardown.ReconcileResult;
import dev.sandboxkit.lifecycle.internal.teardown.SandboxKiller;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The seam between the lifecycle and an isolation technology (bubblewrap, Windows Sandbox): what
 * a built-in driver implements. Internal: the public {@link SandboxDriver} only names a driver and
 * lists its prerequisites.
 *
 * <p>A sandbox's start calls, in order: {@link #checkEnforceable} (before anything exists; returns
 * the policy plan), {@link #hostSlot()}, {@link #reconcile} (leftovers of earlier runs), {@link
 * #prepare} (launch files in the run dir), then on the returned {@link Instance}: {@link
 * Instance#launch()}, {@link Instance#captureProof()}, {@link Instance#liveness()} (while waiting
 * for the rendezvous file); teardown always runs through the run's teardown guard with {@link
 * #killer()}, then {@link Instance#close()}. A driver object keeps no per-run state and is safe to
 * share; per-run state lives in the {@link Instance}.
 */
public interface DriverSpi extends SandboxDriver {

  /**
   * Fails with {@link FailurePhase#REJECTED} when the driver is unavailable or cannot enforce the
   * policy (e.g. host allow/block lists or a proxy), with the reason and the fix; otherwise plans
   * the mapped folders (rules' {@code PolicyPlanner}). Creates nothing.
   */
  PolicyPlan checkEnforceable(SandboxPolicy policy) throws SandboxException;

  /** The host-wide slot held for the whole run ({@link HostSlot#NONE} when parallel runs are fine). */
  HostSlot hostSlot();

  /** Finds, kills (identity-checked) and confirms the end of this driver's sandbox processes. */
  SandboxKiller killer();

  /**
   * Reconciles leftovers of earlier one-shot runs in {@code store} (marker dirs whose launcher is
   * dead): tears down what their proof still owns, removes their dirs, collects orphan scratch
   * dirs. Called while the host slot is held, before this run's dir exists. Bubblewrap: rules'
   * {@code Reconciler.reconcileIndependent()}; Windows: {@code reconcileSingleton(force)}.
   */
  ReconcileResult reconcile(MarkerStore store, boolean forceReclaim);

  /**
   * Writes the launch files into {@link Launch#runDir()} (the run dir and its {@code rendezvous}
   * folder with {@code nonce.bin} already exist). Starts nothing.
   *
   * @throws SandboxException {@link FailurePhase#LAUNCH_FAILED} (or REJECTED for a missing
   *     prerequisite found only now)
   */
  Instance prepare(Launch launch) throws SandboxException;

  /** How the host connects to the address the guest advertises in {@code rendezvous.txt}. */
  Transport transport();

  /**
   * The one-time start-up work a first {@link #prepare} would otherwise do, done now on request
   * ({@code Sandbox.Builder.prepare()}, {@code sandboxkit prepare}): bubblewrap builds the guest's
   * class-data archive when it is missing. Starts no user sandbox. The default has nothing to do.
   *
   * @throws SandboxException {@link FailurePhase#REJECTED} when the driver cannot run here at all
   *     (a training failure is a {@link PrepareResult.Status#FAILED} result, not an exception)
   */
  default PrepareResult prepareAhead(Ahead ahead) throws SandboxException {
    return new PrepareResult(PrepareResult.Status.NOT_APPLICABLE, Optional.empty(), Duration.ZERO,
        "the " + name() + " driver keeps no class-data archive");
  }

  /**
   * What {@link #prepareAhead} works on.
   *
   * @param guestJar the guest agent jar on the host
   * @param javaHome the host Java runtime the guest runs on
   * @param cacheDir the caller's cache folder; empty = the driver's default
   * @param classDataArchives the caller's choice for class-data archives; empty = the default
   * @param events told when a training starts and ends
   */
  record Ahead(Path guestJar, Path javaHome, Optional<Path> cacheDir, Optional<Boolean> classDataArchives,
      ArchiveEvents events) {
    public Ahead {
      Objects.requireNonNull(guestJar, "guestJar");
      Objects.requireNonNull(javaHome, "javaHome");
      Objects.requireNonNull(cacheDir, "cacheDir");
      Objects.requireNonNull(classDataArchives, "classDataArchives");
      Objects.requireNonNull(events, "events");
    }
  }

  /**
   * Start-up work for a run about to come, on a thread of its own while the caller is busy (the
   * one-shot prestart): loads and runs the driver's checks and launch code on inputs of its own.
   * Reads only; creates, changes and starts nothing. The default does nothing.
   */
  default void warmUp() {}

  /**
   * How often teardown polls whether the sandbox's processes are gone (default 750 ms, the Windows
   * Sandbox reference value; a cheap probe such as bubblewrap's may poll faster).
   */
  default Duration teardownPoll() {
    return Duration.ofMillis(750);
  }

  /** One sandbox, launched at most once. */
  interface Instance extends AutoCloseable {
    /**
     * Starts the sandbox (Windows: runs WindowsSandbox.exe and waits for it to exit; bubblewrap:
     * spawns bwrap). Throws {@link FailurePhase#LAUNCH_FAILED} with the launcher's diagnostics.
     *
     * <p>When this throws, ownership stays "launch in flight" (docs/control-plane.md §3.1,
     * W9): teardown kills nothing, and the run dir with its marker is kept for the reconcile of a
     * later run (or {@code sandboxkit cleanup}) once this process has exited.
     */
    void launch() throws SandboxException;

    /**
     * Whether a failed {@link #launch()} may have left something running. A driver that knows
     * nothing started (the spawn itself failed, e.g. bwrap missing) returns false, so the run dir is
     * cleared at once instead of being kept for a later reconcile. The default is the safe answer.
     */
    default boolean mayHaveStarted() {
      return true;
    }

    /**
     * The processes that prove this run owns the sandbox (PID + creation time). Polls as the
     * driver needs (Windows: 500 ms for up to 30 s). Empty when nothing was seen.
     */
    List<VmProcId> captureProof() throws SandboxException;

    /**
     * Re-captures the ownership proof after the handshake (docs/control-plane.md W7): the
     * first proof may hold only short-lived early processes, and a proof that no longer intersects
     * the live VM wedges the host. Returns {@code proof} in order followed by identities that joined
     * since (never removing one), or {@code proof} unchanged; the caller rewrites the marker when it
     * changed. The default changes nothing (drivers whose proof cannot go stale).
     */
    default List<VmProcId> refreshProof(List<VmProcId> proof) {
      return proof;
    }

    /** Whether the sandbox is still up, with diagnostics (e.g. bwrap's stderr tail) when not. */
    Liveness liveness();

    /**
     * Where the host reads the guest's rendezvous folder once the sandbox is launched: the run's own
     * {@code hostDir} (the default: the driver maps it into the sandbox) or the sandbox's own folder
     * seen from the host (bubblewrap: its tmpfs through {@code /proc/<sandbox init>/root}).
     *
     * No default: a delegating instance that forgot it would wait on the wrong folder until the
     * rendezvous timeout.
     *
     * @throws SandboxException LAUNCH_FAILED when the sandbox's folder cannot be reached
     */
    Path rendezvousView(Path hostDir) throws SandboxException;

    /**
     * Calls {@code action} once the launched sandbox's own process has exited (for whatever reason),
     * on a JDK thread that must not be blocked: the action only hands over. A live sandbox uses it to
     * notice a sandbox that died while no execution ran. The default never calls it (a driver whose
     * launcher exits at once, like Windows Sandbox's, has no such process).
     */
    default void onExit(Runnable action) {}

    /**
     * How many of the sandbox's processes the kernel has killed at its memory limit so far (a
     * counter that only grows); 0 when the driver cannot tell or there is no limit. The session
     * compares it around an execution to say why a command died ({@code session.MemoryLimitNote}).
     */
    default long oomKills() {
      return 0;
    }

    /** Releases driver resources after teardown (log files, a cooldown). Never throws. */
    @Override
    void close();
  }

  /**
   * Everything a driver needs to prepare one sandbox.
   *
   * @param runId the run's id
   * @param runDir the owner-only run dir ({@code <tmp>/sandboxkit/oneshot/<uuid>})
   * @param rendezvousDir {@code runDir/rendezvous}: holds {@code nonce.bin}; the guest writes
   *     {@code rendezvous.txt} (and, for unix transport, its socket) here
   * @param plan the validated policy plan (mapped folders, network)
   * @param guestJar the guest agent jar on the host
   * @param javaHome the host Java runtime to map read-only for the guest
   * @param cacheDir the caller's cache folder (class-data archives); empty = the driver's default
   * @param classDataArchives the caller's choice for class-data archives; empty = the default
   * @param archiveEvents told when the driver trains an archive before this sandbox can start
   */
  record Launch(
      UUID runId, Path runDir, Path rendezvousDir, PolicyPlan plan, Path guestJar, Path javaHome,
      Optional<Path> cacheDir, Optional<Boolean> classDataArchives, ArchiveEvents archiveEvents) {
    public Launch {
      Objects.requireNonNull(runId, "runId");
      Objects.requireNonNull(runDir, "runDir");
      Objects.requireNonNull(rendezvousDir, "rendezvousDir");
      Objects.requireNonNull(plan, "plan");
      Objects.requireNonNull(guestJar, "guestJar");
      Objects.requireNonNull(javaHome, "javaHome");
      Objects.requireNonNull(cacheDir, "cacheDir");
      Objects.requireNonNull(classDataArchives, "classDataArchives");
      Objects.requireNonNull(archiveEvents, "archiveEvents");
    }

    /** Reporting no archive events. */
    public Launch(UUID runId, Path runDir, Path rendezvousDir, PolicyPlan plan, Path guestJar, Path javaHome,
        Optional<Path> cacheDir, Optional<Boolean> classDataArchives) {
      this(runId, runDir, rendezvousDir, plan, guestJar, javaHome, cacheDir, classDataArchives, ArchiveEvents.NONE);
    }

    /** With the driver's default cache settings. */
    public Launch(UUID runId, Path runDir, Path rendezvousDir, PolicyPlan plan, Path guestJar, Path javaHome) {
      this(runId, runDir, rendezvousDir, plan, guestJar, javaHome, Optional.empty(), Optional.empty());
    }
  }

  /** The guest's platform: how a {@code Command} becomes the script the guest's shell runs. */
  GuestPlatform platform();

  /** How to reach the guest's advertised address. */
  enum Transport {
    /** {@code ip:port} over TCP (Windows Sandbox). */
    TCP,
    /** {@code unix:NAME}: a Unix domain socket NAME inside the host's rendezvous folder. */
    UNIX
  }

  /**
   * @param alive whether the sandbox is still running
   * @param diagnostics when not alive: why (exit status, the tail of the launcher's / agent's log)
   */
  record Liveness(boolean alive, String diagnostics) {
    public static final Liveness ALIVE = new Liveness(true, "");

    public Liveness {
      diagnostics = diagnostics == null ? "" : diagnostics;
    }
  }
}
