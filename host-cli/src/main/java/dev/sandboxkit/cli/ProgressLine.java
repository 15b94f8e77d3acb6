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

  private static final String TRAINING = "training class-data archive";

  private final PrintWriter err;
  private final String driver;
  /** "starting %s sandbox" for a run, "preparing %s" for {@code sandboxkit prepare}. */
  private final String title;
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
  private String resume = "prepare";

  ProgressLine(PrintWriter err, String driver, boolean live, boolean verbose, LongSupplier nanoClock) {
    this(err, driver, "starting %s sandbox", live, verbose, nanoClock);
  }

  private ProgressLine(PrintWriter err, String driver, String title, boolean live, boolean verbose,
      LongSupplier nanoClock) {
    this.err = err;
    this.driver = driver;
    this.title = title;
    this.live = live;
    this.verbose = verbose;
    this.nanoClock = nanoClock;
  }

  /** For {@code sandboxkit prepare}: {@code sandboxkit: preparing bubblewrap (training class-data archive) 1.2s}. */
  static ProgressLine preparing(PrintWriter err, String driver, boolean live, boolean verbose, LongSupplier nanoClock) {
    return new ProgressLine(err, driver, "preparing %s", live, verbose, nanoClock);
  }

  /** The text of the line after {@code elapsedMs} in {@code step} (pure; tested). */
  static String text(String driver, String step, long elapsedMs) {
    return text("starting %s sandbox", driver, step, elapsedMs);
  }

  private static String text(String title, String driver, String step, long elapsedMs) {
    return String.format(java.util.Locale.ROOT, "sandboxkit: " + title + " (%s) %d.%ds",
        driver, step, elapsedMs / 1000, (elapsedMs % 1000) / 100);
  }

  /** The text of the line as this progress line draws it now (tests). */
  String textNow() {
    synchronized (lock) {
      return text(title, driver, step, ms(start));
    }
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

  /** The guest's archive is trained first (once per guest jar and runtime): the line says so. */
  @Override
  public void archiveStart(String sandboxId) {
    String was;
    synchronized (lock) {
      was = step;
    }
    end(TRAINING);
    synchronized (lock) {
      resume = was;
    }
  }

  @Override
  public void archiveEnd(String sandboxId) {
    end(resumeStep());
  }

  @Override
  public void archiveFailed(String sandboxId, String reason) {
    end(resumeStep());
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
      err.print("\r" + text(title, driver, step, ms(start)) + "\033[K");
      err.flush();
      shown = true;
    }
  }

  /** The step the training interrupted (prepare). */
  private String resumeStep() {
    synchronized (lock) {
      return resume;
    }
  }

  private long ms(long fromNanos) {
    return (nanoClock.getAsLong() - fromNanos) / 1_000_000;
  }
}
