package dev.sandboxkit.lifecycle.internal.teardown;

import dev.sandboxkit.lifecycle.internal.controlplane.VmProcId;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Kill a set of identities, then poll until they are gone or the budget ends (§5.4, judged by the
 * identities we own, W6). Never touches the marker; callers remove it only on {@link
 * TeardownOutcome.ConfirmedGone}.
 */
public final class BlockingTeardown {

  /** One-shot budget on the normal path. */
  public static final Duration DEFAULT_BUDGET = Duration.ofSeconds(30);

  /** One-shot budget on the exception path. */
  public static final Duration EXCEPTION_BUDGET = Duration.ofSeconds(8);

  /** Poll interval between liveness probes. */
  public static final Duration DEFAULT_POLL = Duration.ofMillis(750);

  private static final System.Logger LOG = System.getLogger(BlockingTeardown.class.getName());

  private BlockingTeardown() {
  }

  /**
   * Terminates {@code killSet}, then polls (first poll immediate) until none is running:
   * ConfirmedGone; at the deadline StillRunning(remaining) or, when the last probe failed,
   * ProbeFailed. An interrupt ends the wait early (flag restored) with the current state.
   */
  public static TeardownOutcome killAndAwait(SandboxKiller killer, List<VmProcId> killSet, Duration budget,
      Duration poll) {
    long deadline = System.nanoTime() + budget.toNanos();
    int killed = killer.terminate(killSet);
    LOG.log(System.Logger.Level.DEBUG, "terminated {0} of {1} sandbox process(es)", killed, killSet.size());
    while (true) {
      Optional<List<VmProcId>> alive = killer.stillRunning(killSet);
      if (alive.isPresent() && alive.get().isEmpty()) {
        return TeardownOutcome.CONFIRMED_GONE;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0 || Thread.currentThread().isInterrupted()) {
        return outcome(alive, budget);
      }
      try {
        Thread.sleep(Math.max(1, Math.min(poll.toMillis(), left / 1_000_000 + 1)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return outcome(killer.stillRunning(killSet), budget);
      }
    }
  }

  private static TeardownOutcome outcome(Optional<List<VmProcId>> alive, Duration budget) {
    if (alive.isEmpty()) {
      return new TeardownOutcome.ProbeFailed("could not determine whether the sandbox processes exited"
          + " within " + budget.toMillis() + " ms (liveness probe failed)");
    }
    if (alive.get().isEmpty()) {
      return TeardownOutcome.CONFIRMED_GONE;
    }
    return new TeardownOutcome.StillRunning(alive.get());
  }
}
