package dev.sandboxkit.guest.executor;

import dev.sandboxkit.guest.listener.InboundQueue;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Copies the stdin channel to the job's stdin and closes the job's stdin at the channel's end. It
 * pulls one read cycle at a time from the channel (asking for the next one while it writes the
 * current one to the job, so at most two are buffered), so a job that does not read its stdin stops
 * the host's stdin (socket backpressure) without stopping anything else. When the job has closed its
 * stdin, the rest of the channel is read and dropped so the host's writer can finish.
 *
 * <p>When the job's stdin is the JDK's process pipe (a buffered stream over a {@link
 * FileOutputStream}, found as {@link PipeSource} finds the output pipes) the received buffers are
 * written to the pipe's file channel as they are, several in one gathering write ({@code writev}):
 * no copy in the JVM. Any other stream gets them through one reused array.
 */
final class InputPump implements Runnable {
  private static final System.Logger LOG = System.getLogger(InputPump.class.getName());

  /** Bytes written to the job per call: queued reads are coalesced up to this (fewer pipe writes). */
  static final int CHUNK = 256 * 1024;
  /** Most buffers in one gathering write (Linux's IOV_MAX is 1024). */
  static final int MAX_GATHER = 64;

  /** The native buffer of the direct path: one socket read cycle, one pipe write (the widened pipe's size). */
  static final int DIRECT_CHUNK = 1024 * 1024;
  /** How often the direct path, waiting for the host, checks whether it was stopped. */
  static final long WAIT_SLICE_MS = 100;
  /** The buffer a finished direct pump left for the next job (a session runs many). */
  private static final AtomicReference<ByteBuffer> SPARE = new AtomicReference<>();

  private final InboundQueue queue;
  private final Channel channel;
  private final OutputStream out;
  private final CountDownLatch done = new CountDownLatch(1);
  private volatile boolean stopped;
  private volatile boolean direct;

  /** Takes over {@code queue} ({@link InboundQueue#claim()}): from here on it is this pump's to drain and close. */
  InputPump(InboundQueue queue, OutputStream out) {
    this(queue, null, out);
  }

  /**
   * As {@link #InputPump(InboundQueue, OutputStream)}; when {@code channel} (the stdin channel whose
   * queue {@code queue} is) is a NIO socket channel the pump reads its socket itself.
   */
  InputPump(InboundQueue queue, Channel channel, OutputStream out) {
    this.queue = queue.claim();
    this.channel = channel;
    this.out = out;
  }

  Thread start() {
    Thread t = new Thread(this, "sk-stdin-pump");
    t.setDaemon(true);
    t.start();
    return t;
  }

  @Override
  public void run() {
    SocketChannel socket = channel != null ? OutputPump.DirectSink.socketOf(channel) : null;
    if (socket != null) {
      runDirect(socket);
    } else {
      runQueued();
    }
  }

  /**
   * The direct path: the pump reads the JDK socket under the channel from its own thread, into one
   * reused native buffer, and writes that buffer to the job ({@link JobSink}): no Netty buffer
   * allocated (and zeroed) per read, no hand-over between the event loop and the pump per read cycle.
   * Netty does not read this channel meanwhile: a data channel's reading is paused (autoRead off) and
   * only the queue path asks for reads. What Netty read before (bytes that arrived with the
   * handshake) is taken from the queue first, once the event loop has finished that read cycle.
   * Back-pressure as on the queue path: the socket is read again only once the job has taken the
   * last buffer. A job that closed its stdin gets nothing more; the rest is read and dropped, so
   * the host's writer can finish.
   */
  private void runDirect(SocketChannel socket) {
    direct = true;
    JobSink sink = JobSink.of(out);
    ByteBuffer buf = null;
    Selector selector = null;
    try {
      if (takeQueued(sink)) {
        return;
      }
      buf = SPARE.getAndSet(null);
      if (buf == null) {
        buf = ByteBuffer.allocateDirect(DIRECT_CHUNK);
      }
      while (!stopped) {
        buf.clear();
        int n = socket.read(buf);
        if (n == 0) {
          if (selector == null) {
            selector = Selector.open();
            socket.register(selector, SelectionKey.OP_READ);
          }
          selector.select(WAIT_SLICE_MS);
          selector.selectedKeys().clear();
          continue;
        }
        boolean end = n < 0;
        while (!end && buf.hasRemaining() && (n = socket.read(buf)) != 0) {
          end = n < 0;
        }
        buf.flip();
        sink.write(buf);
        if (end) {
          break;
        }
      }
    } catch (ClosedChannelException e) {
      // the job is over and its channels closed
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "reading the host''s stdin failed after {0} bytes ({1}); the job''s"
          + " stdin ends here", sink.forwarded, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (selector != null) {
        try {
          selector.close(); // also lets a closed channel's file go
        } catch (IOException e) {
          LOG.log(System.Logger.Level.DEBUG, "closing the selector: {0}", e.toString());
        }
      }
      closeQuietly();
      queue.close();
      if (buf != null) {
        SPARE.set(buf);
      }
      done.countDown();
    }
  }

  /**
   * Waits for the event loop to finish what it is doing (the read cycle that carried the handshake
   * may still be forwarding the bytes behind it to the queue), then writes what the queue holds to
   * the job. True when the queue held the end of the input (the channel closed).
   */
  private boolean takeQueued(JobSink sink) throws InterruptedException {
    EventLoop loop = channel.eventLoop();
    if (!loop.inEventLoop()) {
      try {
        Future<?> barrier = loop.submit(() -> { });
        while (!barrier.await(WAIT_SLICE_MS) && !stopped) {
          // the event loop is busy with other channels
        }
      } catch (RejectedExecutionException e) {
        // the event loop has stopped: nothing reads this channel any more
      }
    }
    Object item;
    while ((item = queue.poll(0)) != null) {
      if (item == InboundQueue.END) {
        return true;
      }
      ByteBuf b = (ByteBuf) item;
      try {
        for (ByteBuffer v : b.nioBuffers()) {
          sink.write(v);
        }
      } finally {
        b.release();
      }
    }
    return false;
  }

  /** Through the queue: Netty reads the channel, the pump takes its buffers. */
  private void runQueued() {
    boolean broken = false;
    long forwarded = 0;
    // Allocated with the first data: most jobs get no input (the host's stdin is empty or closed),
    // and 256 KiB in the agent's small heap would bring its next collection closer for nothing.
    byte[] chunk = null;
    FileOutputStream file = PipeSource.fileUnder(out);
    FileChannel pipe = file != null ? file.getChannel() : null;
    List<ByteBuf> batch = new ArrayList<>();
    try {
      while (!stopped) {
        if (queue.isEmpty()) {
          queue.requestMore();
        }
        Object item = queue.poll(100);
        if (item == null) {
          continue;
        }
        if (item == InboundQueue.END) {
          break;
        }
        if (queue.isEmpty()) {
          // Ask for the next read cycle now, so the socket is read while this one goes to the job.
          queue.requestMore();
        }
        ByteBuf b = (ByteBuf) item;
        if (pipe != null) {
          batch.add(b);
          try {
            if (!broken) {
              forwarded += gather(batch, pipe);
            } else {
              drop(batch);
            }
          } catch (IOException e) {
            broken = true;
            LOG.log(System.Logger.Level.DEBUG,
                "the job closed its stdin after {0} bytes ({1}); dropping the rest", forwarded, e.toString());
          } finally {
            batch.forEach(ByteBuf::release);
            batch.clear();
          }
          continue;
        }
        if (chunk == null) {
          chunk = new byte[CHUNK];
        }
        try {
          // Copy this buffer and those already queued behind it (whole ones, while they fit) into
          // one array: one pipe write per batch. (ByteBuf.readBytes(OutputStream) of a direct buffer
          // would write in 8 KiB pieces.)
          while (true) {
            int n = 0;
            while (b.isReadable() && n < chunk.length) {
              int k = Math.min(b.readableBytes(), chunk.length - n);
              b.readBytes(chunk, n, k);
              n += k;
              Object next = b.isReadable() ? null : queue.peek();
              if (next instanceof ByteBuf && ((ByteBuf) next).readableBytes() <= chunk.length - n) {
                b.release();
                b = (ByteBuf) queue.poll(0);
              }
            }
            if (!broken) {
              out.write(chunk, 0, n);
              out.flush();
              forwarded += n;
            }
            if (!b.isReadable()) {
              break;
            }
          }
        } catch (IOException e) {
          broken = true;
          LOG.log(
              System.Logger.Level.DEBUG,
              "the job closed its stdin after {0} bytes ({1}); dropping the rest",
              forwarded,
              e.getMessage());
        } finally {
          b.release();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeQuietly();
      queue.close();
      done.countDown();
    }
  }

  /**
   * Takes the buffers queued behind {@code batch}'s first (up to {@link #MAX_GATHER} and {@link
   * #CHUNK} bytes past the first) and writes them all to {@code pipe}, whole; returns the bytes
   * written. The caller releases the batch.
   */
  private long gather(List<ByteBuf> batch, FileChannel pipe) throws IOException, InterruptedException {
    long queued = batch.get(0).readableBytes();
    Object next;
    while (batch.size() < MAX_GATHER && (next = queue.peek()) instanceof ByteBuf
        && queued + ((ByteBuf) next).readableBytes() <= CHUNK + batch.get(0).readableBytes()) {
      ByteBuf taken = (ByteBuf) queue.poll(0);
      batch.add(taken);
      queued += taken.readableBytes();
    }
    if (queue.isEmpty()) {
      queue.requestMore(); // the socket is read while this batch goes to the job
    }
    List<ByteBuffer> views = new ArrayList<>(batch.size());
    for (ByteBuf b : batch) {
      for (ByteBuffer v : b.nioBuffers()) {
        views.add(v);
      }
    }
    ByteBuffer[] bufs = views.toArray(new ByteBuffer[0]);
    long written = 0;
    int first = 0;
    while (first < bufs.length) {
      written += pipe.write(bufs, first, bufs.length - first);
      while (first < bufs.length && !bufs[first].hasRemaining()) {
        first++;
      }
    }
    return written;
  }

  /** The job has closed its stdin: take what is queued and let it go. */
  private void drop(List<ByteBuf> batch) throws InterruptedException {
    Object next;
    while ((next = queue.peek()) instanceof ByteBuf) {
      batch.add((ByteBuf) queue.poll(0));
    }
  }

  private void closeQuietly() {
    try {
      out.close();
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "closing the job''s stdin: {0}", e.getMessage());
    }
  }

  /** Stops pulling from the channel (the job is over). */
  void stop() {
    stopped = true;
  }

  boolean awaitDone(long millis) throws InterruptedException {
    return done.await(millis, TimeUnit.MILLISECONDS);
  }

  /** Whether the pump read the socket itself (for tests). */
  boolean wentDirect() {
    return direct;
  }

  /** The job's side of the direct path; used by the pump's thread only. */
  abstract static class JobSink {
    long forwarded;
    private boolean broken;

    /** The pipe's file channel when {@code out} is the JDK's process pipe, else the stream. */
    static JobSink of(OutputStream out) {
      FileOutputStream file = PipeSource.fileUnder(out);
      return file != null ? new PipeSink(out, file) : new StreamSink(out);
    }

    /** Writes {@code b} whole, or drops it once the job has closed its stdin. */
    final void write(ByteBuffer b) {
      int n = b.remaining();
      if (!broken && n > 0) {
        try {
          put(b);
          forwarded += n;
        } catch (IOException e) {
          broken = true;
          LOG.log(System.Logger.Level.DEBUG,
              "the job closed its stdin after {0} bytes ({1}); dropping the rest", forwarded, e.toString());
        }
      }
      b.position(b.limit());
    }

    abstract void put(ByteBuffer b) throws IOException;
  }

  /**
   * The job's stdin pipe, written through its file channel from the native buffer (no copy in the
   * JVM). A bulk writer (a first buffer of a full default pipe or more) gets a wider pipe, as {@link
   * PipeSource} widens a bulk reader's: fewer, larger writes, and the job reads ahead of the pump.
   */
  static final class PipeSink extends JobSink {
    private final OutputStream stream;
    private final FileOutputStream file;
    private final FileChannel pipe;
    private boolean widened;

    PipeSink(OutputStream stream, FileOutputStream file) {
      this.stream = stream;
      this.file = file;
      this.pipe = file.getChannel();
    }

    @Override
    void put(ByteBuffer b) throws IOException {
      if (!widened && b.remaining() >= PipeSource.DEFAULT_PIPE) {
        widened = true;
        widen();
      }
      while (b.hasRemaining()) {
        pipe.write(b);
      }
    }

    /** Under the stream's lock: the JDK closes the pipe's file under it when the job exits. */
    private void widen() {
      synchronized (stream) {
        for (int size : PipeSource.WIDE_PIPE) {
          if (!pipe.isOpen() || PipeSource.fcntl(file, PipeSource.F_SETPIPE_SZ, size) >= 0) {
            return;
          }
        }
      }
      LOG.log(System.Logger.Level.DEBUG, "the job''s stdin pipe keeps its size");
    }

    /** The pipe's size ({@code F_GETPIPE_SZ}), or -1 (for tests). */
    int pipeSize() {
      synchronized (stream) {
        return pipe.isOpen() ? PipeSource.fcntl(file, PipeSource.F_GETPIPE_SZ, 0) : -1;
      }
    }
  }

  /** Any other stream (not a pipe the JDK made): through one reused heap array. */
  static final class StreamSink extends JobSink {
    private final OutputStream stream;
    private byte[] staging;

    StreamSink(OutputStream stream) {
      this.stream = stream;
    }

    @Override
    void put(ByteBuffer b) throws IOException {
      if (staging == null) {
        staging = new byte[CHUNK];
      }
      while (b.hasRemaining()) {
        int k = Math.min(b.remaining(), staging.length);
        b.get(staging, 0, k);
        stream.write(staging, 0, k);
      }
      stream.flush();
    }
  }
}
