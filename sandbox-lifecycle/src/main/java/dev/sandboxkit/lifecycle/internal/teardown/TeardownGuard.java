package dev.sandboxkit.lifecycle.internal.teardown;

import dev.sandboxkit.lifecycle.internal.controlplane.HostSnapshot;
import dev.sandboxkit.lifecycle.internal.controlplane.VmProcId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Tears a run's sandbox down exactly once, on normal return, exception or JVM shutdown (§5).
 *
 * <p>The payload {@code {runDir, ownership}} sits in a take-once {@link AtomicReference}: {@link
 * #close()} and the shutdown hook compete to take it, so teardown runs at most once. Both run the
 * full teardown (plan, kill, wait, remove the marker only once the sandbox is confirmed gone); the
 * hook waits at most {@link #SHUTDOWN_BUDGET}, and what it cannot confirm gone keeps its marker for
 * the next run's reconcile. (A kill-only hook left every SIGTERM'd run's dir behind, and a full close
 * racing it on another hook found the payload taken and reported the kept marker as gone.) The owner
 * of the sandbox may route the hook through its own close ({@link #onShutdown}), so the hook also
 * closes what the guard does not own (connections, driver resources, the host slot). The driver
 * supplies how to find and kill its processes through {@link SandboxKiller}.
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

  /** The logger, created on first use: the launch path never starts the logging backend. */
  private static final class Log {
    static final System.Logger LOG = System.getLogger(TeardownGuard.class.getName());
  }

  /**
   * The most the shutdown hook waits for the sandbox to be confirmed gone: a terminating process gets
   * a few seconds (Windows allows about 5 s for CTRL_CLOSE); past it the marker stays for reconcile.
   */
  public static final Duration SHUTDOWN_BUDGET = Duration.ofSeconds(5);

  private record Payload(Path runDir, VmOwnership ownership) {
  }

  private final AtomicReference<Payload> slot;
  private final SandboxKiller killer;
  private final Duration budget;
  private final Duration poll;
  private final Thread hook;
  /** What the shutdown hook runs; a bounded full teardown until the owner routes it ({@link #onShutdown}). */
  private volatile Runnable shutdownAction = () -> teardown(shutdownBudget());

  private TeardownGuard(Path runDir, SandboxKiller killer, Duration budget, Duration poll, boolean installHook) {
    this.slot = new AtomicReference<>(new Payload(runDir, VmOwnership.NOT_LAUNCHED));
    this.killer = killer;
    this.budget = budget;
    this.poll = poll;
    if (installHook) {
      this.hook = new Thread(this::shutdown, "sandboxkit-teardown-hook");
      Runtime.getRuntime().addShutdownHook(hook);
    } else {
      this.hook = null;
    }
  }

  /** Arms a guard for {@code runDir} (ownership NotLaunched) with a shutdown hook, 30 s / 750 ms. */
  public static TeardownGuard arm(Path runDir, SandboxKiller killer) {
    return arm(runDir, killer, BlockingTeardown.DEFAULT_BUDGET, BlockingTeardown.DEFAULT_POLL, true);
  }

  /**
   * Arms a guard.
   *
   * @param budget how long {@link #close()} waits for the processes to exit
   * @param poll liveness poll interval
   * @param installShutdownHook whether JVM shutdown (Ctrl-C, SIGTERM, System.exit) tears the sandbox down
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
   * Routes the shutdown hook through {@code action} (the sandbox's own close, which tears down
   * through this guard within {@link #shutdownBudget()}) instead of the guard's bare teardown.
   */
  public void onShutdown(Runnable action) {
    this.shutdownAction = Objects.requireNonNull(action, "action");
  }

  /** The budget the shutdown path waits for confirmation: the guard's, at most {@link #SHUTDOWN_BUDGET}. */
  public Duration shutdownBudget() {
    return budget.compareTo(SHUTDOWN_BUDGET) < 0 ? budget : SHUTDOWN_BUDGET;
  }

  /**
   * The shutdown hook's body (public for tests): runs the shutdown action — by default a full
   * teardown within {@link #shutdownBudget()}: kill, wait, and remove the marker once the sandbox is
   * confirmed gone, else keep it for the next run's reconcile. Does nothing when the payload was
   * already taken. Never throws.
   */
  public void shutdown() {
    if (slot.get() == null) {
      return;
    }
    try {
      shutdownAction.run();
    } catch (RuntimeException e) {
      Log.LOG.log(System.Logger.Level.ERROR, "shutdown teardown failed", e);
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
