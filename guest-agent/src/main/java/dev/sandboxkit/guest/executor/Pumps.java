package dev.sandboxkit.guest.executor;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads a job's stdin, stdout and stderr pumps run on, kept between jobs: starting three
 * threads per job cost ~2 ms of a warm execution's round trip on a loaded 2-core machine (issue
 * 12). A pump that is still running (cut, or its job's stdin not yet closed) keeps its thread and
 * the next job gets a new one, as before; idle threads end after {@link #KEEP_ALIVE_S} s.
 */
final class Pumps {
  static final long KEEP_ALIVE_S = 60;
  private static final AtomicInteger COUNT = new AtomicInteger();
  private static final ExecutorService POOL = new ThreadPoolExecutor(0, Integer.MAX_VALUE, KEEP_ALIVE_S,
      TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
        Thread t = new Thread(r, "sk-pump-" + COUNT.incrementAndGet());
        t.setDaemon(true);
        return t;
      });

  private Pumps() {}

  /** Runs {@code pump} on a pooled daemon thread. */
  static void start(Runnable pump) {
    POOL.execute(pump);
  }
}
