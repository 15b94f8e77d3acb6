package dev.sandboxkit.lifecycle.internal.bridge;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.locks.LockSupport;

/**
 * Drains one data channel (stdout or stderr) to EOF on its own thread (§3.2): into a capped capture
 * buffer, or live to the caller's stream (no cap). Reading always continues to EOF so the guest is
 * never blocked. A reset before any byte counts as EOF.
 */
final class OutputDrain implements Runnable {
  /** The logger, created on first use: the launch path never starts the logging backend. */
  private static final class Log {
    static final System.Logger LOG = System.getLogger(OutputDrain.class.getName());
  }
  /** Read size: 256 KiB (a Unix socket delivers up to its buffer size per read). */
  static final int CHUNK = 256 * 1024;

  private final String label;
  private final SocketChannel channel;
  private final OutputStream live;
  /**
   * The live stream's file channel when it is a plain {@link FileOutputStream} (the CLI's stdout and
   * stderr): the bytes then go socket -> one native buffer -> file descriptor, without the two heap
   * copies and the per-write native allocation of {@code OutputStream.write}. (A file channel is
   * closed, with its stream, when its thread is interrupted; this drain's thread never is.)
   */
  private final WritableByteChannel liveChannel;
  private final ChunkedCapture captured;
  private volatile long seen;
  private volatile boolean truncated;
  private volatile String error;
  private volatile boolean cut;
  private volatile String sinkError;
  private final Thread thread;

  /**
   * @param live the caller's stream, or null to capture up to {@code cap} bytes
   */
  OutputDrain(String label, SocketChannel channel, OutputStream live, int cap) {
    this.label = label;
    this.channel = channel;
    this.live = live;
    this.liveChannel = live != null && live.getClass() == FileOutputStream.class
        ? ((FileOutputStream) live).getChannel()
        : null;
    this.captured = new ChunkedCapture(live == null ? cap : 0);
    this.thread = new Thread(this, "sandboxkit-" + label + "-drain");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  @Override
  public void run() {
    // Native memory when the bytes go to a file channel: the socket read fills it in place and the
    // file write takes it as it is (with a heap buffer the JDK copies through native memory twice).
    ByteBuffer buf = liveChannel != null ? ByteBuffer.allocateDirect(CHUNK) : ByteBuffer.allocate(CHUNK);
    while (true) {
      buf.clear();
      int n;
      try {
        n = channel.read(buf);
      } catch (ClosedChannelException e) {
        cut = true;
        return;
      } catch (IOException e) {
        if (seen == 0 && ResetClassifier.isReset(e)) {
          Log.LOG.log(System.Logger.Level.DEBUG, "guest {0}: reset with no data; treating as EOF", label);
          return;
        }
        error = "read guest " + label + " after " + seen + " bytes: " + e.getMessage();
        return;
      }
      if (n < 0) {
        return;
      }
      if (n == 0) {
        continue;
      }
      seen += n;
      buf.flip();
      deliver(buf, n);
    }
  }

  private void deliver(ByteBuffer buf, int n) {
    if (live != null) {
      if (sinkError != null) {
        return;
      }
      try {
        if (liveChannel != null) {
          while (buf.hasRemaining()) {
            if (liveChannel.write(buf) == 0) {
              LockSupport.parkNanos(1_000_000); // a non-blocking descriptor that is full
            }
          }
        } else {
          live.write(buf.array(), 0, n);
          live.flush();
        }
      } catch (IOException | RuntimeException e) {
        sinkError = "writing " + label + " to the caller's stream failed: "
            + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
        Log.LOG.log(System.Logger.Level.WARNING, sinkError + " (discarding the rest)");
      }
      return;
    }
    if (captured.append(buf.array(), 0, n) < n) {
      truncated = true;
    }
  }

  /** Waits up to {@code deadline} for EOF; true when the drain ended by itself. */
  boolean await(Deadline deadline) throws InterruptedException {
    if (deadline.isInfinite()) {
      thread.join();
    } else {
      long ms = deadline.remainingMillis();
      if (ms > 0) {
        thread.join(ms);
      }
    }
    return !thread.isAlive();
  }

  /** Waits (bounded) for the thread after its channel was closed. */
  void join(long millis) throws InterruptedException {
    thread.join(millis);
  }

  /** The capture, assembled once (callers must not modify it). */
  byte[] bytes() {
    return captured.bytes();
  }

  long seen() {
    return seen;
  }

  boolean truncated() {
    return truncated;
  }

  /** The read error, or null. */
  String error() {
    return error;
  }

  /** True when we closed the channel while it was still open. */
  boolean cut() {
    return cut;
  }

  String sinkError() {
    return sinkError;
  }

  String label() {
    return label;
  }
}
