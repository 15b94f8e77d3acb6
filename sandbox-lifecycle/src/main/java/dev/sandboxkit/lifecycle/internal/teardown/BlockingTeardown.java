package dev.sandboxkit.lifecycle.internal.teardown;

import dev.sandboxkit.lifecycle.internal.controlplane.VmProcId;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Kill a set of identities, then probe until they are gone or the budget ends (§5.4, judged by the
 * identities we own, W6). Never touches the marker; callers remove it only on {@link
 * TeardownOutcome.ConfirmedGone}.
 *
 * <p>Only {@link SandboxKiller#stillRunning} decides "gone". Between probes the wait is {@value
 * #FIRST_PAUSE_MS} ms for the first {@value #FAST_PHASE_MS} ms after the kill, then doubles up to the
 * poll interval, and it ends early when a process of the kill set that is a child of this JVM exits
 * (bubblewrap: the {@code bwrap} we spawned, whose exit the JDK's reaper reports at once); a wake-up
 * is only a hint to probe again. The fast phase is for processes that are not our children and so
 * can only be polled: bubblewrap's pid-namespace init is gone only once the kernel has torn down
 * every process of the sandbox (the guest JVM: 5-15 ms), and a doubling wait overslept that by up to
 * as much again on every run. A probe costs a few reads of /proc, so the phase costs little.
 */
public final class BlockingTeardown {

  /** One-shot budget on the normal path. */
  public static final Duration DEFAULT_BUDGET = Duration.ofSeconds(30);

  /** One-shot budget on the exception path. */
  public static final Duration EXCEPTION_BUDGET = Duration.ofSeconds(8);

  /** Longest wait between liveness probes. */
  public static final Duration DEFAULT_POLL = Duration.ofMillis(750);

  /** First wait between liveness probes; it doubles up to the poll interval after the fast phase. */
  static final long FIRST_PAUSE_MS = 1;

  /** How long after the kill the waits stay at {@link #FIRST_PAUSE_MS}. */
  static final long FAST_PHASE_MS = 100;

  /** The logger, created on first use: the launch path never starts the logging backend. */
  private static final class Log {
    static final System.Logger LOG = System.getLogger(BlockingTeardown.class.getName());
  }

  private BlockingTeardown() {
  }

  /**
   * Terminates {@code killSet}, then probes (first probe immediate) until none is running:
   * ConfirmedGone; at the deadline StillRunning(remaining) or, when the last probe failed,
   * ProbeFailed. Waits between probes are {@value #FIRST_PAUSE_MS} ms during the fast phase, then
   * back off to {@code poll}.
   * An interrupt ends the wait early (flag restored) with the current state.
   */
  public static TeardownOutcome killAndAwait(SandboxKiller killer, List<VmProcId> killSet, Duration budget,
      Duration poll) {
    long start = System.nanoTime();
    long deadline = start + budget.toNanos();
    int killed = killer.terminate(killSet);
    Log.LOG.log(System.Logger.Level.DEBUG, "terminated {0} of {1} sandbox process(es)", killed, killSet.size());
    long pause = FIRST_PAUSE_MS;
    long maxPause = Math.max(1, poll.toMillis());
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
        ChildExit.await(alive.orElse(killSet), Math.min(pause, left / 1_000_000 + 1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return outcome(killer.stillRunning(killSet), budget);
      }
      pause = pauseAfter(pause, maxPause, System.nanoTime() - start);
    }
  }

  /** The wait after {@code pause}, {@code elapsedNanos} after the kill: fast phase, then doubling. */
  static long pauseAfter(long pause, long maxPause, long elapsedNanos) {
    if (elapsedNanos < FAST_PHASE_MS * 1_000_000) {
      return Math.min(FIRST_PAUSE_MS, maxPause);
    }
    return nextPause(pause, maxPause);
  }

  /** The wait after {@code pause}: twice as long, at most {@code maxPause}. */
  static long nextPause(long pause, long maxPause) {
    return Math.min(pause * 2, maxPause);
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
