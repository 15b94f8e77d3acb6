package dev.sandboxkit.guest.executor;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads a job's stdin, stdout and stderr pumps run on, kept between jobs: starting three
 * threads per job cost ~2 ms of a warm execution's round trip on a loaded 2-core machine (issue
 * 12). Idle threads end after {@link #KEEP_ALIVE_S} s.
 *
 * <p>A job's three threads are taken ({@link #take()}) <em>before</em> the job is started: the
 * sandbox's process limit counts the agent's threads too, so a fork bomb that fills it leaves no
 * room for a thread created after the job started, and the agent used to die of that
 * ({@code OutOfMemoryError: unable to create native thread}) instead of reporting the job's exit.
 * Now the job either gets its threads first or is not started, with a message that says why.
 */
final class Pumps {
  static final long KEEP_ALIVE_S = 60;
  /** A job's pumps: stdout, stderr, stdin. */
  static final int PER_JOB = 3;
  private static final AtomicInteger COUNT = new AtomicInteger();
  /** The agent's pool. */
  static final Pumps SHARED = new Pumps(r -> {
    Thread t = new Thread(r, "sk-pump-" + COUNT.incrementAndGet());
    t.setDaemon(true);
    return t;
  });

  private final ThreadPoolExecutor pool;

  Pumps(ThreadFactory threads) {
    pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, KEEP_ALIVE_S, TimeUnit.SECONDS, new SynchronousQueue<>(), threads);
  }

  /**
   * {@link #PER_JOB} threads of this pool, each waiting for the pump it is to run.
   *
   * @throws IOException when a thread cannot be had (the sandbox's process or memory limit is
   *     reached): the threads already taken are given back
   */
  Crew take() throws IOException {
    List<CompletableFuture<Runnable>> seats = new ArrayList<>(PER_JOB);
    try {
      for (int i = 0; i < PER_JOB; i++) {
        CompletableFuture<Runnable> seat = new CompletableFuture<>();
        pool.execute(() -> seat.join().run());
        seats.add(seat);
      }
    } catch (OutOfMemoryError | RejectedExecutionException e) { // "unable to create native thread"
      seats.forEach(s -> s.complete(() -> { }));
      throw new IOException("the agent cannot start the threads that relay the job's streams (" + e.getMessage()
          + "): the sandbox's process or memory limit is reached, most likely by processes an earlier"
          + " command left running; the job is not started", e);
    }
    return new Crew(seats);
  }

  /** Threads running a pump or waiting for one (tests). */
  int busyThreads() {
    return pool.getActiveCount();
  }

  /** Three threads taken for one job: each runs one pump, or nothing once released. */
  static final class Crew {
    private final List<CompletableFuture<Runnable>> seats;

    private Crew(List<CompletableFuture<Runnable>> seats) {
      this.seats = seats;
    }

    /** Runs the three pumps on the crew's threads. */
    void run(Runnable stdout, Runnable stderr, Runnable stdin) {
      seats.get(0).complete(stdout);
      seats.get(1).complete(stderr);
      seats.get(2).complete(stdin);
    }

    /** Gives the threads back without running anything (the job did not start). */
    void release() {
      for (CompletableFuture<Runnable> s : seats) {
        s.complete(() -> { });
      }
    }
  }
}
