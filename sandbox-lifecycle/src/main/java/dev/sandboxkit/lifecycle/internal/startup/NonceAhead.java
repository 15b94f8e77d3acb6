package dev.sandboxkit.lifecycle.internal.startup;

import dev.sandboxkit.auth.Nonce;
import dev.sandboxkit.auth.NonceException;
import dev.sandboxkit.lifecycle.internal.controlplane.VmProcId;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The session nonce, generated on its own short-lived thread from the start of a run. The first
 * use of the strong CSPRNG initialises the JDK's security providers (10-20 ms); done alongside the
 * run's other preparation (policy, state dir, marker write and its fsyncs), it no longer adds to the
 * time before the launch. The nonce is only read where it is written to {@code nonce.bin}.
 *
 * <p>The same thread first probes this JVM's own identity ({@link VmProcId#current()}, remembered
 * for the JVM's life), which the marker needs a little later: the first {@code ProcessHandle} use
 * reads several {@code /proc} files and starts the JDK's process support (5-10 ms).
 */
public final class NonceAhead {
  private final FutureTask<Nonce> task;
  private volatile boolean started;

  private NonceAhead(Callable<Nonce> generator) {
    this.task = new FutureTask<>(generator);
  }

  /**
   * Starts {@link VmProcId#current()} and {@link Nonce#generate()} on a daemon thread; with the
   * switch {@code nonce-ahead} off ({@link Speedup#NONCE_AHEAD}), the nonce is made by {@link #get}
   * on the caller's thread.
   */
  public static NonceAhead start() {
    Callable<Nonce> generator = () -> {
      VmProcId.current();
      return Nonce.generate();
    };
    return Speedup.NONCE_AHEAD.on() ? start(generator) : new NonceAhead(generator);
  }

  /** Tests: another generator. */
  static NonceAhead start(Callable<Nonce> generator) {
    NonceAhead n = new NonceAhead(generator);
    Thread t = new Thread(n.task, "sandboxkit-nonce");
    t.setDaemon(true);
    n.started = true;
    t.start();
    return n;
  }

  /** The nonce, waiting for the thread if needed; the generator's failure as thrown there. */
  public Nonce get() throws NonceException, InterruptedException {
    if (!started) {
      task.run(); // the switch is off: made here, on the caller's thread
    }
    try {
      return task.get();
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof NonceException ne) {
        throw ne;
      }
      if (c instanceof RuntimeException re) {
        throw re;
      }
      if (c instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException("nonce generation failed: " + c, c);
    }
  }

  /** Waits for the thread to finish (a run that ends early leaves no thread behind); never throws. */
  public void await() {
    if (!started) {
      return; // nothing to wait for: never started, and get() was not needed
    }
    try {
      task.get();
    } catch (ExecutionException | RuntimeException e) {
      // the run did not need it
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
