package dev.sandboxkit.lifecycle.internal.bridge;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Copies the caller's stdin to the guest's stdin channel on its own thread, then half-closes the
 * channel ({@code shutdownOutput}, EOF for the command). A failure is logged, never fatal: the command
 * may exit without reading its input (§3.1). The guest closing the channel (a reset-class error on
 * a write: the command is over or closed its stdin) is not a failure and is not reported.
 *
 * <p>As the guest's output pumps do, it moves the bytes through one native buffer, reused by the next
 * execution: a {@link FileInputStream} (the CLI's stdin: a pipe, a file, a terminal) is read through
 * its {@link FileChannel} straight into that buffer and the buffer is written to the socket as it is,
 * with no copy in the JVM; any other stream is read into a heap array and copied once. Each socket
 * write carries what the source had ready (a read, then non-blocking reads while more is waiting), up
 * to {@link #CHUNK}. Back-pressure: the pump reads again only once the socket has taken the last
 * buffer, so a guest that does not read stops the caller's stream instead of growing memory.
 */
final class StdinPump implements Runnable {
  /** The logger, created on first use: the launch path never starts the logging backend. */
  private static final class Log {
    static final System.Logger LOG = System.getLogger(StdinPump.class.getName());
  }
  /** Buffer size: 1 MiB, so a pipe or file is moved in few, large socket writes. */
  static final int CHUNK = 1024 * 1024;
  /**
   * The Unix socket's send buffer (SO_SNDBUF; the kernel's default is ~208 KiB, a fifth of a chunk):
   * a chunk goes out in one or two writes, and the guest finds a whole chunk waiting per read.
   */
  static final int SEND_BUFFER = CHUNK;
  /** The buffer a finished pump left for the next one (the session path runs many executions). */
  private static final AtomicReference<ByteBuffer> SPARE = new AtomicReference<>();

  private final InputStream in;
  private final SocketChannel channel;
  private final Thread thread;
  private volatile String error;
  private long forwarded;
  /** Whether the pump is in a socket write (an error there is the guest's side). */
  private boolean writing;

  StdinPump(InputStream in, SocketChannel channel) {
    this.in = in;
    this.channel = channel;
    this.thread = new Thread(this, "sandboxkit-stdin-pump");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  @Override
  public void run() {
    ByteBuffer buf = SPARE.getAndSet(null);
    if (buf == null) {
      buf = ByteBuffer.allocateDirect(CHUNK);
    }
    widenSendBuffer();
    try (InputStream source = in) {
      Source s = source instanceof FileInputStream
          ? new ChannelSource((FileInputStream) source)
          : new StreamSource(source);
      while (true) {
        buf.clear();
        if (s.read(buf) < 0) {
          break;
        }
        s.fill(buf);
        buf.flip();
        forwarded += buf.remaining();
        writing = true;
        while (buf.hasRemaining()) {
          channel.write(buf);
        }
        writing = false;
      }
      channel.shutdownOutput();
    } catch (IOException e) {
      if (writing && ResetClassifier.isReset(e)) {
        // The guest closed the stdin channel: the command is over or closed its stdin without
        // reading it all (`| head`). As for a shell pipeline's writer, that is no failure.
        Log.LOG.log(System.Logger.Level.DEBUG, "the guest closed stdin after {0} bytes: {1}", forwarded,
            e.getMessage());
      } else if (channel.isOpen()) {
        error = "forwarding stdin to guest failed after " + forwarded + " bytes (continuing): " + e.getMessage();
        Log.LOG.log(System.Logger.Level.WARNING, error);
      }
    } finally {
      SPARE.set(buf);
    }
  }

  /** A larger send buffer on a Unix socket (TCP keeps the system's auto-tuning). */
  private void widenSendBuffer() {
    try {
      if (channel.getLocalAddress() instanceof UnixDomainSocketAddress) {
        channel.setOption(StandardSocketOptions.SO_SNDBUF, SEND_BUFFER);
      }
    } catch (IOException | RuntimeException e) {
      Log.LOG.log(System.Logger.Level.DEBUG, "cannot widen the stdin send buffer: {0}", e.toString());
    }
  }

  void join(long millis) throws InterruptedException {
    thread.join(millis);
  }

  boolean alive() {
    return thread.isAlive();
  }

  String error() {
    return error;
  }

  /** Bytes handed to the socket so far (for tests). */
  long forwarded() {
    return forwarded;
  }

  /** Where the bytes come from; used by the pump's thread only. */
  private abstract static class Source {
    /** Reads at least one byte (blocking) into {@code dst}, or returns -1 at end of stream. */
    abstract int read(ByteBuffer dst) throws IOException;

    /** Adds what is already waiting, without blocking, while {@code dst} has room. */
    abstract void fill(ByteBuffer dst);
  }

  /** A file descriptor: read by its channel into the native buffer (no copy in the JVM). */
  private static final class ChannelSource extends Source {
    private final FileInputStream stream;
    private final FileChannel file;

    ChannelSource(FileInputStream stream) {
      this.stream = stream;
      this.file = stream.getChannel();
    }

    @Override
    int read(ByteBuffer dst) throws IOException {
      int n;
      do {
        n = file.read(dst); // 0 only for a zero-length read; a pipe or file blocks or ends
      } while (n == 0 && dst.hasRemaining());
      return n;
    }

    @Override
    void fill(ByteBuffer dst) {
      try {
        while (dst.hasRemaining() && stream.available() > 0) {
          if (file.read(dst) <= 0) {
            return;
          }
        }
      } catch (IOException e) {
        // reported by the next read, with what was read so far sent first
      }
    }
  }

  /** Any other stream: through one heap array, copied into the native buffer. */
  private static final class StreamSource extends Source {
    private final InputStream stream;
    private final byte[] staging = new byte[64 * 1024];

    StreamSource(InputStream stream) {
      this.stream = stream;
    }

    @Override
    int read(ByteBuffer dst) throws IOException {
      int n = stream.read(staging, 0, Math.min(staging.length, dst.remaining()));
      if (n > 0) {
        dst.put(staging, 0, n);
      }
      return n;
    }

    @Override
    void fill(ByteBuffer dst) {
      try {
        while (dst.hasRemaining() && stream.available() > 0) {
          if (read(dst) <= 0) {
            return;
          }
        }
      } catch (IOException e) {
        // reported by the next read, with what was read so far sent first
      }
    }
  }
}
