package dev.sandboxkit.lifecycle.internal.teardown;

import dev.sandboxkit.lifecycle.internal.controlplane.HostSnapshot;
import dev.sandboxkit.lifecycle.internal.controlplane.VmProcId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Tears a run's sandbox down exactly once, on normal return, exception or JVM shutdown (§5).
 *
 * <p>The payload {@code {runDir, ownership}} sits in a take-once {@link AtomicReference}: {@link
 * #close()} and the shutdown hook compete to take it, so teardown runs at most once. {@code close()}
 * runs the full teardown (plan, kill, wait, remove the marker only once the sandbox is confirmed gone);
 * the shutdown hook only kills (no wait, no marker change) and leaves the rest to the next run's
 * reconcile. The driver supplies how to find and kill its processes through {@link SandboxKiller}.
 *
 * <pre>{@code
 * try (TeardownGuard guard = TeardownGuard.arm(runDir, SandboxKiller.identityOnly(JdkProcessProbe.INSTANCE))) {
 *     guard.setOwnership(VmOwnership.LAUNCH_IN_FLIGHT);
 *     Process bwrap = pb.start();
 *     VmProcId id = VmProcId.of(bwrap.toHandle()).orElseThrow();
 *     guard.setOwnership(new VmOwnership.Owned(List.of(id)));
 *     store.write(runDir, Marker.forCurrentProcess(List.of(id)));
 *     ...
 * } // close(): kill, wait up to 30 s, remove the marker dir when confirmed gone
 * }</pre>
 */
public final class TeardownGuard implements AutoCloseable {

  /** The logger, created on first use: the launch path never starts the logging backend (oneshot.Warmup). */
  private static final class Log {
    static final System.Logger LOG = System.getLogger(TeardownGuard.class.getName());
  }

  private record Payload(Path runDir, VmOwnership ownership) {
  }

  private final AtomicReference<Payload> slot;
  private final SandboxKiller killer;
  private final Duration budget;
  private final Duration poll;
  private final Thread hook;

  private TeardownGuard(Path runDir, SandboxKiller killer, Duration budget, Duration poll, boolean installHook) {
    this.slot = new AtomicReference<>(new Payload(runDir, VmOwnership.NOT_LAUNCHED));
    this.killer = killer;
    this.budget = budget;
    this.poll = poll;
    if (installHook) {
      this.hook = new Thread(this::killOnly, "sandboxkit-teardown-hook");
      Runtime.getRuntime().addShutdownHook(hook);
    } else {
      this.hook = null;
    }
  }

  /** Arms a guard for {@code runDir} (ownership NotLaunched) with a kill-only shutdown hook, 30 s / 750 ms. */
  public static TeardownGuard arm(Path runDir, SandboxKiller killer) {
    return arm(runDir, killer, BlockingTeardown.DEFAULT_BUDGET, BlockingTeardown.DEFAULT_POLL, true);
  }

  /**
   * Arms a guard.
   *
   * @param budget how long {@link #close()} waits for the processes to exit
   * @param poll liveness poll interval
   * @param installShutdownHook whether JVM shutdown (Ctrl-C, SIGTERM) kills the sandbox
   */
  public static TeardownGuard arm(Path runDir, SandboxKiller killer, Duration budget, Duration poll,
      boolean installShutdownHook) {
    return new TeardownGuard(runDir, killer, budget, poll, installShutdownHook);
  }

  /** Updates the ownership; a no-op once the payload was taken. */
  public void setOwnership(VmOwnership ownership) {
    slot.updateAndGet(p -> p == null ? null : new Payload(p.runDir(), ownership));
  }

  /** The current ownership, or empty once teardown took the payload. */
  public Optional<VmOwnership> ownership() {
    return Optional.ofNullable(slot.get()).map(Payload::ownership);
  }

  /** True until teardown (or the hook) took the payload. */
  public boolean armed() {
    return slot.get() != null;
  }

  /**
   * Full teardown with {@code budget}: takes the payload (empty result if it was already taken), then
   * <ul>
   *   <li>NotLaunched: remove the marker dir, ConfirmedGone;</li>
   *   <li>LaunchInFlight: touch nothing, keep the marker, NotOwned;</li>
   *   <li>otherwise snapshot, {@link Decisions#planKillSet}, kill and wait. A failed snapshot with
   *       LaunchSucceededNoProof, or a snapshot with unidentifiable processes, is ProbeFailed (W5);
   *       with Owned the proof alone is killed (best effort) and the outcome is still ProbeFailed at
   *       best, so the marker is kept for processes the failed snapshot could not show.
   *       ConfirmedGone removes the marker dir.</li>
   * </ul>
   * Never throws; a failing killer gives ProbeFailed.
   */
  public Optional<TeardownOutcome> teardown(Duration budget) {
    Payload p = slot.getAndSet(null);
    if (p == null) {
      return Optional.empty();
    }
    TeardownOutcome outcome;
    try {
      outcome = fullTeardown(p, budget);
    } catch (RuntimeException e) {
      Log.LOG.log(System.Logger.Level.ERROR, "teardown of " + p.runDir() + " failed; the marker is kept", e);
      outcome = new TeardownOutcome.ProbeFailed("teardown failed: " + e);
    }
    if (outcome.confirmedGone()) {
      MarkerStore.clearMarkerDir(p.runDir());
    } else {
      Log.LOG.log(System.Logger.Level.WARNING, "sandbox of {0} not confirmed gone ({1}); marker kept for the next run",
          p.runDir(), outcome);
    }
    return Optional.of(outcome);
  }

  private TeardownOutcome fullTeardown(Payload p, Duration budget) {
    VmOwnership own = p.ownership();
    if (own instanceof VmOwnership.NotLaunched) {
      return TeardownOutcome.CONFIRMED_GONE;
    }
    if (own instanceof VmOwnership.LaunchInFlight) {
      return new TeardownOutcome.NotOwned();
    }
    Optional<HostSnapshot> snap = killer.snapshot();
    if (own instanceof VmOwnership.LaunchSucceededNoProof) {
      if (snap.isEmpty()) {
        return new TeardownOutcome.ProbeFailed("could not enumerate sandbox processes");
      }
      if (!snap.get().unidentifiable().isEmpty()) {
        return new TeardownOutcome.ProbeFailed("sandbox process(es) " + snap.get().unidentifiable()
            + " are present but cannot be identified");
      }
    }
    List<VmProcId> live = snap.map(HostSnapshot::identified).orElse(List.of());
    Optional<List<VmProcId>> plan = Decisions.planKillSet(own, live);
    if (plan.isEmpty()) {
      return TeardownOutcome.CONFIRMED_GONE;
    }
    TeardownOutcome killed = BlockingTeardown.killAndAwait(killer, plan.get(), budget, poll);
    if (snap.isEmpty() && killed.confirmedGone()) {
      // W5 with a proof: the proof is gone, but sandbox processes started after it (helpers the
      // snapshot would have found) may still run. Keep the marker so the next reconcile looks again.
      return new TeardownOutcome.ProbeFailed("could not enumerate sandbox processes; the proof "
          + Decisions.pids(plan.get()) + " was terminated, but processes started after it may remain");
    }
    return killed;
  }

  /**
   * The shutdown-hook path: takes the payload and only kills (snapshot, plan, terminate); no wait,
   * no marker change. Never throws.
   *
   * @return the identities it tried to kill (empty when there was no payload or nothing to kill)
   */
  public List<VmProcId> killOnly() {
    Payload p = slot.getAndSet(null);
    if (p == null) {
      return List.of();
    }
    try {
      List<VmProcId> live = killer.snapshot().map(HostSnapshot::identified).orElse(List.of());
      List<VmProcId> plan = Decisions.planKillSet(p.ownership(), live).orElse(List.of());
      int killed = plan.isEmpty() ? 0 : killer.terminate(plan);
      Log.LOG.log(System.Logger.Level.INFO, "shutdown: killed {0} of {1} sandbox process(es) {2} of {3};"
          + " the next run reconciles the rest", killed, plan.size(), Decisions.pids(plan), p.runDir());
      return plan;
    } catch (RuntimeException e) {
      Log.LOG.log(System.Logger.Level.ERROR, "shutdown kill of " + p.runDir() + " failed", e);
      return List.of();
    }
  }

  /** Full teardown with the guard's budget (never throws), then removes the shutdown hook. */
  @Override
  public void close() {
    try {
      teardown(budget);
    } finally {
      if (hook != null) {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // the JVM is exiting; the hook finds an empty slot
        }
      }
    }
  }
}
