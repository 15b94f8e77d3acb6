package dev.sandboxkit.lifecycle.internal.rendezvous;

import dev.sandboxkit.lifecycle.internal.vm.DriverSpi;
import dev.sandboxkit.lifecycle.FailurePhase;
import dev.sandboxkit.lifecycle.SandboxException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Waits for the guest's {@code rendezvous.txt}: polls up to {@code timeout} for a valid address, and
 * stops early when the driver reports the sandbox died. For the first {@link #FAST_PHASE} it looks
 * every {@link #FIRST_POLL} (a guest that starts in a few hundred ms is seen within ~10 ms of writing
 * the file; a doubling backoff would waste up to half the boot time); after that the interval doubles
 * up to {@code poll}, the maximum interval, so a slow boot costs no more reads than a fixed
 * {@code poll} would.
 *
 * <p>Between two reads it also watches the folder (a {@link WatchService}: inotify on Linux), so the
 * guest's atomic rename wakes it at once instead of at the next poll (on average half an interval,
 * ~5 ms of every one-shot run); where the folder cannot be watched the wait is a plain sleep. A
 * wake-up only means "read again": the file's content alone decides.
 */
public final class RendezvousWaiter {
  /** The file the guest writes (atomically) in the rendezvous folder. */
  public static final String FILE_NAME = "rendezvous.txt";
  public static final Duration DEFAULT_POLL = Duration.ofMillis(500);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(360);
  /** The poll interval during {@link #FAST_PHASE}; capped by {@code poll}. */
  public static final Duration FIRST_POLL = Duration.ofMillis(10);
  /** How long the wait polls at {@link #FIRST_POLL} before backing off. */
  public static final Duration FAST_PHASE = Duration.ofSeconds(5);

  /** The logger, created on first use: the launch path never starts the logging backend. */
  private static final class Log {
    static final System.Logger LOG = System.getLogger(RendezvousWaiter.class.getName());
  }

  private final Duration poll;
  private final Duration timeout;

  public RendezvousWaiter(Duration poll, Duration timeout) {
    if (poll.isNegative() || poll.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("poll must be > 0 and timeout >= 0, got " + poll + " / " + timeout);
    }
    this.poll = poll;
    this.timeout = timeout;
  }

  /**
   * Polls {@code dir/rendezvous.txt}.
   *
   * @param liveness checked before each sleep; a dead sandbox ends the wait at once
   * @throws SandboxException LAUNCH_FAILED naming the file and the wait (timeout), or the sandbox's
   *     diagnostics (died), or POST_LAUNCH_FAILED when the transport does not match
   */
  public RendezvousAddress await(
      Path dir, DriverSpi.Transport transport, Supplier<DriverSpi.Liveness> liveness)
      throws SandboxException {
    Path file = dir.resolve(FILE_NAME);
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    String lastContent = null;
    long interval = Math.min(FIRST_POLL.toNanos(), poll.toNanos());
    try (Wakeup wakeup = Wakeup.watching(dir)) {
      while (true) {
        Optional<String> content = read(file);
        if (content.isPresent()) {
          lastContent = content.get();
          Optional<RendezvousAddress> addr = RendezvousAddress.parse(lastContent);
          if (addr.isPresent()) {
            checkTransport(addr.get(), transport, file);
            Log.LOG.log(System.Logger.Level.DEBUG, "guest advertised {0} after {1} ms", addr.get(),
                (System.nanoTime() - start) / 1_000_000);
            return addr.get();
          }
        }
        DriverSpi.Liveness live = liveness.get();
        if (!live.alive()) {
          // One last look: the guest may have written the file just before exiting.
          Optional<RendezvousAddress> last = read(file).flatMap(RendezvousAddress::parse);
          if (last.isPresent()) {
            checkTransport(last.get(), transport, file);
            return last.get();
          }
          throw new SandboxException(
              FailurePhase.LAUNCH_FAILED,
              "the sandbox exited before the guest agent advertised its address in " + file,
              live.diagnostics());
        }
        long now = System.nanoTime();
        if (now - deadline >= 0) {
          String seen = lastContent == null
              ? "the file never appeared"
              : "its content is not a valid ip:port or unix:NAME address (" + lastContent.strip().length() + " chars)";
          throw new SandboxException(
              FailurePhase.LAUNCH_FAILED,
              "the guest agent did not advertise its address in " + file + " within " + timeout.toMillis() + " ms",
              seen + "; the sandbox is still running. Check the guest agent log; raise the rendezvous timeout"
                  + " on slow hosts.");
        }
        long sleepNanos = Math.min(interval, deadline - now);
        interval = nextInterval(interval, poll.toNanos(), now - start);
        try {
          wakeup.await(Math.max(1, sleepNanos / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new SandboxException(FailurePhase.LAUNCH_FAILED,
              "interrupted while waiting for " + file, "the run was cancelled");
        }
      }
    }
  }

  /** {@link #FIRST_POLL} during the fast phase, then doubling, never beyond {@code maxNanos}. */
  static long nextInterval(long currentNanos, long maxNanos, long elapsedNanos) {
    if (elapsedNanos < FAST_PHASE.toNanos()) {
      return Math.min(FIRST_POLL.toNanos(), maxNanos);
    }
    return currentNanos >= maxNanos / 2 ? maxNanos : currentNanos * 2;
  }

  private static void checkTransport(RendezvousAddress addr, DriverSpi.Transport transport, Path file)
      throws SandboxException {
    boolean ok = transport == DriverSpi.Transport.UNIX
        ? addr instanceof RendezvousAddress.Unix
        : addr instanceof RendezvousAddress.Tcp;
    if (!ok) {
      throw new SandboxException(FailurePhase.POST_LAUNCH_FAILED,
          "the guest advertised " + addr + " in " + file + " but this driver connects over " + transport,
          "the guest agent was started with the wrong --transport");
    }
  }

  /**
   * The file's content, or empty while it does not exist. Any other failure (no permission on the
   * folder, a directory or something unreadable in the file's place, an I/O error) will not go away
   * by waiting, so it ends the wait at once with its cause instead of surfacing as a timeout minutes
   * later. The guest renames the file into place atomically, so a partial file is never read.
   */
  static Optional<String> read(Path file) throws SandboxException {
    try {
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new SandboxException(FailurePhase.LAUNCH_FAILED,
          "cannot read the guest agent's rendezvous file " + file + ": " + e,
          "the host must be able to read the run's rendezvous folder " + file.getParent()
              + " (check its owner and permissions, and that nothing else writes there)", e);
    }
  }

  /**
   * The pause between two reads: until a change in the folder or the timeout, whichever is first.
   * Without a watch (unsupported file system, no inotify instance left) it is a plain sleep.
   */
  static final class Wakeup implements AutoCloseable {
    private final WatchService watch;

    private Wakeup(WatchService watch) {
      this.watch = watch;
    }

    /** Watches {@code dir} for new and changed entries; a sleeping wake-up when it cannot. */
    static Wakeup watching(Path dir) {
      WatchService ws = null;
      try {
        ws = dir.getFileSystem().newWatchService();
        dir.register(ws, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
        return new Wakeup(ws);
      } catch (IOException | RuntimeException e) {
        Log.LOG.log(System.Logger.Level.DEBUG, "not watching {0} ({1}); polling only", dir, e.toString());
        closeQuietly(ws);
        return new Wakeup(null);
      }
    }

    /** True when changes wake the wait early. */
    boolean watching() {
      return watch != null;
    }

    /** Waits up to {@code millis} ms, less when the folder changed (events are consumed). */
    void await(long millis) throws InterruptedException {
      if (watch == null) {
        Thread.sleep(millis);
        return;
      }
      WatchKey key;
      try {
        key = watch.poll(millis, TimeUnit.MILLISECONDS);
      } catch (java.nio.file.ClosedWatchServiceException e) {
        Thread.sleep(millis);
        return;
      }
      if (key != null) {
        key.pollEvents();
        key.reset();
      }
    }

    /**
     * Stops watching. The JDK's close waits for the watch service's own thread to acknowledge it
     * (a thread hand-off, 1-4 ms on a busy machine), which the caller, about to connect to the guest,
     * should not wait for: a short-lived daemon thread does it.
     */
    @Override
    public void close() {
      if (watch == null) {
        return;
      }
      try {
        Thread t = new Thread(() -> closeQuietly(watch), "sandboxkit-rendezvous-unwatch");
        t.setDaemon(true);
        t.start();
      } catch (RuntimeException | OutOfMemoryError e) {
        closeQuietly(watch);
      }
    }

    private static void closeQuietly(WatchService ws) {
      if (ws == null) {
        return;
      }
      try {
        ws.close();
      } catch (IOException e) {
        // best effort: only a watch
      }
    }
  }
}
