package dev.sandboxkit.lifecycle.internal.session;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A sandbox's idle timeout and maximum lifetime: one daemon timer thread, only when either is set.
 * The idle clock runs while no execution does ({@link #idle()} / {@link #busy()}).
 */
final class SessionTimers {
  private final Optional<Duration> idleTimeout;
  private final ScheduledExecutorService timer;
  private final Runnable onIdle;
  private ScheduledFuture<?> idleTask;

  SessionTimers(String sandboxId, Optional<Duration> idleTimeout, Optional<Duration> maxLifetime,
      Runnable onIdle, Runnable onMaxLifetime) {
    this.idleTimeout = idleTimeout;
    this.onIdle = onIdle;
    if (idleTimeout.isEmpty() && maxLifetime.isEmpty()) {
      timer = null;
      return;
    }
    ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
      Thread th = new Thread(r, "sandboxkit-timer-" + sandboxId.substring(0, Math.min(8, sandboxId.length())));
      th.setDaemon(true);
      return th;
    });
    t.setRemoveOnCancelPolicy(true);
    t.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    timer = t;
    maxLifetime.ifPresent(d -> t.schedule(onMaxLifetime, d.toNanos(), TimeUnit.NANOSECONDS));
  }

  /** No execution runs: start the idle clock. */
  synchronized void idle() {
    if (timer == null || idleTimeout.isEmpty() || timer.isShutdown()) {
      return;
    }
    if (idleTask != null) {
      idleTask.cancel(false);
    }
    idleTask = timer.schedule(onIdle, idleTimeout.get().toNanos(), TimeUnit.NANOSECONDS);
  }

  /** An execution runs: stop the idle clock. */
  synchronized void busy() {
    if (idleTask != null) {
      idleTask.cancel(false);
      idleTask = null;
    }
  }

  /** Stops both clocks; a task already running (the close it triggered) runs to its end. */
  synchronized void stop() {
    busy();
    if (timer != null) {
      timer.shutdown();
    }
  }
}
