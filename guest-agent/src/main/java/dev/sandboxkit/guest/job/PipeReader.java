package dev.sandboxkit.guest.job;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * A job's stdout or stderr read end on Windows. A synchronous {@code ReadFile} blocked on a pipe is
 * not woken by {@code CloseHandle} (and closing a handle another thread is using would let its value
 * be reused under that thread): {@link #close()} therefore marks the stream closed, cancels the
 * reader's blocked read with {@code CancelSynchronousIo} until it has left {@code ReadFile}, and only
 * then closes the handle. So a descendant that still holds the pipe's write end cannot keep the agent
 * from sending {@code Exit}. The handle is also closed at end of stream, so no read end outlives its
 * job.
 */
final class PipeReader extends InputStream {
  /** How long {@link #close()} keeps cancelling a read that does not return before leaking it. */
  static final Duration CANCEL_DEADLINE = Duration.ofSeconds(5);
  static final long CANCEL_RETRY_MS = 10;

  /** The thin Win32 calls (real: {@code WindowsJob.Win32PipeIo}; tests: a fake). */
  interface Io {
    /** {@code ReadFile}: bytes read (&gt; 0), or -1 at the end (broken pipe, 0 bytes, aborted). */
    int read(byte[] buffer, int length) throws IOException;

    /** A handle to the calling thread with {@code THREAD_TERMINATE} (what CancelSynchronousIo needs). */
    Object openCurrentThread() throws IOException;

    /** {@code CancelSynchronousIo(thread)}; false when nothing was pending (ERROR_NOT_FOUND). */
    boolean cancel(Object thread);

    void closeThread(Object thread);

    /** {@code CloseHandle} of the pipe; called exactly once. */
    void closePipe();
  }

  private static final System.Logger LOG = System.getLogger(PipeReader.class.getName());

  private final Io io;
  private final Object lock = new Object();
  private boolean closed;
  private boolean reading;
  private boolean pipeClosed;
  private Thread readerThread;
  private Object readerHandle;

  private final long cancelDeadlineNanos;

  PipeReader(Io io) {
    this(io, CANCEL_DEADLINE);
  }

  PipeReader(Io io, Duration cancelDeadline) {
    this.io = io;
    this.cancelDeadlineNanos = cancelDeadline.toNanos();
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    synchronized (lock) {
      if (closed) {
        return -1;
      }
      if (readerThread != Thread.currentThread()) {
        if (readerHandle != null) {
          io.closeThread(readerHandle);
          readerHandle = null;
        }
        readerHandle = io.openCurrentThread();
        readerThread = Thread.currentThread();
      }
      reading = true;
    }
    byte[] tmp = off == 0 ? b : new byte[len];
    int n;
    try {
      n = io.read(tmp, len);
    } finally {
      synchronized (lock) {
        reading = false;
        lock.notifyAll();
      }
    }
    if (n < 0) {
      close();
      return -1;
    }
    synchronized (lock) {
      if (closed) {
        return -1; // cancelled by close() after data arrived: the stream is over for the relay
      }
    }
    if (tmp != b) {
      System.arraycopy(tmp, 0, b, off, n);
    }
    return n;
  }

  /**
   * Ends the stream: cancels a blocked read (retrying until the reader has left it, at most {@link
   * #CANCEL_DEADLINE}), then closes the pipe and the reader's thread handle. A read that cannot be
   * cancelled in time keeps its handle (leaked, logged) rather than closing it under the reader.
   */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      long deadline = System.nanoTime() + cancelDeadlineNanos;
      while (reading) {
        io.cancel(readerHandle);
        if (System.nanoTime() - deadline >= 0) {
          LOG.log(System.Logger.Level.ERROR, "a job pipe read could not be cancelled within {0} ms;"
              + " leaving its handle open", cancelDeadlineNanos / 1_000_000);
          return;
        }
        try {
          lock.wait(CANCEL_RETRY_MS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      if (!pipeClosed) {
        pipeClosed = true;
        io.closePipe();
        if (readerHandle != null) {
          io.closeThread(readerHandle);
          readerHandle = null;
        }
      }
    }
  }
}
