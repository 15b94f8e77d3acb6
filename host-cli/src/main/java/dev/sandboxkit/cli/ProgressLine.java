package dev.sandboxkit.cli;

import dev.sandboxkit.lifecycle.ExecutionResult;
import dev.sandboxkit.lifecycle.SandboxException;
import dev.sandboxkit.lifecycle.SandboxListener;
import java.io.PrintWriter;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * While the sandbox boots, one stderr line {@code sandboxkit: starting bubblewrap sandbox
 * (launch) 1.2s}, rewritten in place every 100 ms and erased when the command starts or a step
 * fails. Used only when stderr is a terminal and {@code --quiet} is not set. With
 * {@code --verbose}, the time of each step is also printed (on any stderr).
 */
final class ProgressLine implements SandboxListener {
  private static final long TICK_MS = 100;

  private final PrintWriter err;
  private final String driver;
  private final boolean live;
  private final boolean verbose;
  private final LongSupplier nanoClock;
  private final Object lock = new Object();
  private ScheduledExecutorService ticker;
  private ScheduledFuture<?> tick;
  private long start;
  private long stepStart;
  private String step = "prepare";
  private boolean shown;

  ProgressLine(PrintWriter err, String driver, boolean live, boolean verbose, LongSupplier nanoClock) {
    this.err = err;
    this.driver = driver;
    this.live = live;
    this.verbose = verbose;
    this.nanoClock = nanoClock;
  }

  /** The text of the line after {@code elapsedMs} in {@code step} (pure; tested). */
  static String text(String driver, String step, long elapsedMs) {
    return String.format(java.util.Locale.ROOT, "sandboxkit: starting %s sandbox (%s) %d.%ds",
        driver, step, elapsedMs / 1000, (elapsedMs % 1000) / 100);
  }

  @Override
  public void prepareStart(String sandboxId) {
    start = nanoClock.getAsLong();
    begin("prepare");
    if (live) {
      ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sandboxkit-progress");
        t.setDaemon(true);
        return t;
      });
      tick = ticker.scheduleAtFixedRate(this::redraw, 0, TICK_MS, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void prepareEnd(String sandboxId) {
    end("launch");
  }

  @Override
  public void launchEnd(String sandboxId) {
    end("rendezvous");
  }

  @Override
  public void rendezvousEnd(String sandboxId) {
    end("handshake");
  }

  @Override
  public void handshakeEnd(String sandboxId) {
    end(null);
  }

  @Override
  public void execStart(String sandboxId, String executionId) {
    stop();
  }

  @Override
  public void execEnd(String sandboxId, String executionId, ExecutionResult result) {
    stepStart = nanoClock.getAsLong();
    step = "teardown";
  }

  @Override
  public void teardownEnd(String sandboxId) {
    if (verbose) {
      note("teardown " + ms(stepStart) + " ms; total " + ms(start) + " ms");
    }
  }

  @Override
  public void prepareFailed(String sandboxId, SandboxException e) {
    stop();
  }

  @Override
  public void launchFailed(String sandboxId, SandboxException e) {
    stop();
  }

  @Override
  public void rendezvousFailed(String sandboxId, SandboxException e) {
    stop();
  }

  @Override
  public void handshakeFailed(String sandboxId, SandboxException e) {
    stop();
  }

  @Override
  public void teardownFailed(String sandboxId, SandboxException e) {
    stop();
  }

  /** Erases the line and stops the ticker (idempotent). */
  void stop() {
    synchronized (lock) {
      if (tick != null) {
        tick.cancel(false);
        ticker.shutdownNow();
        tick = null;
      }
      if (shown) {
        err.print("\r\033[K");
        err.flush();
        shown = false;
      }
    }
  }

  private void begin(String s) {
    synchronized (lock) {
      step = s;
      stepStart = nanoClock.getAsLong();
    }
  }

  private void end(String next) {
    String finished;
    long took;
    synchronized (lock) {
      finished = step;
      took = ms(stepStart);
    }
    if (verbose) {
      note(finished + " " + took + " ms");
    }
    if (next != null) {
      begin(next);
    }
  }

  private void note(String s) {
    synchronized (lock) {
      if (shown) {
        err.print("\r\033[K");
        shown = false;
      }
      err.println("sandboxkit: " + s);
      err.flush();
    }
  }

  private void redraw() {
    synchronized (lock) {
      if (tick == null) {
        return;
      }
      err.print("\r" + text(driver, step, ms(start)) + "\033[K");
      err.flush();
      shown = true;
    }
  }

  private long ms(long fromNanos) {
    return (nanoClock.getAsLong() - fromNanos) / 1_000_000;
  }
}
