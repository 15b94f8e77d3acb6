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
 * <p>Only {@link SandboxKiller#stillRunning} decides "gone". Between probes the wait starts at
 * {@value #FIRST_PAUSE_MS} ms and doubles up to the poll interval (a SIGKILLed process is usually
 * gone within a millisecond or two, so a fixed poll mostly overslept), and it ends early when a
 * process of the kill set that is a child of this JVM exits (bubblewrap: the {@code bwrap} we
 * spawned, whose exit the JDK's reaper reports at once); a wake-up is only a hint to probe again.
 */
public final class BlockingTeardown {

  /** One-shot budget on the normal path. */
  public static final Duration DEFAULT_BUDGET = Duration.ofSeconds(30);

  /** One-shot budget on the exception path. */
  public static final Duration EXCEPTION_BUDGET = Duration.ofSeconds(8);

  /** Longest wait between liveness probes. */
  public static final Duration DEFAULT_POLL = Duration.ofMillis(750);

  /** First wait between liveness probes; it doubles up to the poll interval. */
  static final long FIRST_PAUSE_MS = 1;

  /** The logger, created on first use: the launch path never starts the logging backend (oneshot.Warmup). */
  private static final class Log {
    static final System.Logger LOG = System.getLogger(BlockingTeardown.class.getName());
  }

  private BlockingTeardown() {
  }

  /**
   * Terminates {@code killSet}, then probes (first probe immediate) until none is running:
   * ConfirmedGone; at the deadline StillRunning(remaining) or, when the last probe failed,
   * ProbeFailed. Waits between probes back off from {@value #FIRST_PAUSE_MS} ms to {@code poll}.
   * An interrupt ends the wait early (flag restored) with the current state.
   */
  public static TeardownOutcome killAndAwait(SandboxKiller killer, List<VmProcId> killSet, Duration budget,
      Duration poll) {
    long deadline = System.nanoTime() + budget.toNanos();
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
      pause = nextPause(pause, maxPause);
    }
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
