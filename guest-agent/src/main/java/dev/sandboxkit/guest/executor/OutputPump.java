package dev.sandboxkit.guest.executor;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.nio.AbstractNioChannel;
import io.netty.channel.socket.DuplexChannel;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Copies a job's stdout or stderr to its channel, then half-closes the channel. The pump reads the
 * pipe into one native buffer ({@link PipeSource}) and, on a NIO socket channel (the agent's
 * transports), writes it to the socket itself ({@link DirectSink}): no copy in the JVM and no
 * hand-over to the event loop per chunk. Any other channel gets a copy through its pipeline
 * ({@link PipelineSink}). Backpressure: the pump reads the pipe again only once the socket has taken
 * the last chunk, so a slow host slows the job instead of growing memory. When the host has gone the
 * rest of the output is read and dropped, so the job never blocks on a full pipe.
 */
final class OutputPump implements Runnable {
  private static final System.Logger LOG = System.getLogger(OutputPump.class.getName());
  /**
   * Relay unit: up to 256 KiB. A read takes at most what the pipe holds (64 KiB by default; {@link
   * PipeSource} widens the pipe of a bulk writer), so the pump keeps reading while more is already
   * waiting ({@code available()}) and writes one buffer for several reads.
   */
  static final int CHUNK = 256 * 1024;
  /** Buffers kept for later pumps ({@link #SPARE}): a job's stdout and stderr, twice over. */
  static final int BUFFERS = 4;
  /** The Unix socket's send buffer (SO_SNDBUF; the kernel's default is ~208 KiB, under a chunk). */
  static final int SEND_BUFFER = 1024 * 1024;
  /** How often a pump waiting for the socket or the pipeline checks whether it was cut. */
  static final long WAIT_SLICE_MS = 100;
  /**
   * Buffers finished pumps left behind, taken by the next ones: later jobs reuse the native memory
   * instead of leaving it to the garbage collector (which in a small heap may free it late).
   */
  private static final ArrayBlockingQueue<ByteBuffer> SPARE = new ArrayBlockingQueue<>(BUFFERS);

  private final InputStream in;
  private final Channel channel;
  private final String label;
  private final CountDownLatch done = new CountDownLatch(1);
  private volatile boolean cut;
  private long relayed;

  OutputPump(InputStream in, Channel channel, String label) {
    this.in = in;
    this.channel = channel;
    this.label = label;
  }

  Thread start() {
    Thread t = new Thread(this, "sk-" + label + "-pump");
    t.setDaemon(true);
    t.start();
    return t;
  }

  @Override
  public void run() {
    Sink sink = null;
    boolean discard = false;
    try {
      PipeSource source = PipeSource.of(in);
      widenSendBuffer();
      sink = Sink.of(channel, this);
      while (!cut) { // once cut, the job is over and its channel closed
        ByteBuffer b = sink.buffer();
        b.clear();
        int n = source.read(b);
        if (n < 0) {
          break;
        }
        if (n == 0 || discard) {
          continue;
        }
        source.fill(b);
        b.flip();
        relayed += b.remaining();
        if (!sink.send(b)) {
          discard = true;
          LOG.log(
              System.Logger.Level.INFO,
              "{0} channel is gone after {1} bytes; dropping the rest of the job''s {0}",
              label,
              relayed);
        }
      }
    } catch (IOException e) {
      if (!cut) {
        LOG.log(System.Logger.Level.WARNING, "reading the job''s {0} failed: {1}", label, e.getMessage());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (sink != null) {
        sink.finish();
      }
      if (!cut && channel.isActive() && channel instanceof DuplexChannel) {
        ((DuplexChannel) channel).shutdownOutput().awaitUninterruptibly(2, TimeUnit.SECONDS);
      }
      if (sink != null) {
        sink.recycle();
      }
      done.countDown();
    }
  }

  /**
   * A larger send buffer on a Unix socket, so a chunk goes out in one write and the pump waits less
   * often for the host. TCP keeps the system's auto-tuning.
   */
  private void widenSendBuffer() {
    if (!(channel.localAddress() instanceof UnixDomainSocketAddress)) {
      return;
    }
    try {
      channel.config().setOption(ChannelOption.SO_SNDBUF, SEND_BUFFER);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.DEBUG, "cannot widen the {0} send buffer: {1}", label, e.toString());
    }
  }

  /** Waits until the job's stream ended and everything was handed to the channel. */
  boolean awaitDone(long millis) throws InterruptedException {
    return done.await(millis, TimeUnit.MILLISECONDS);
  }

  /** Gives up: stops relaying and closes the channel (the host sees the stream end). */
  void cut() {
    cut = true;
    channel.close();
    try {
      in.close();
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "closing the job''s {0}: {1}", label, e.getMessage());
    }
  }

  boolean isCut() {
    return cut;
  }

  /** Buffers finished pumps have left for the next ones (for tests). */
  static int spareBuffers() {
    return SPARE.size();
  }

  /**
   * Allocates the first job's two buffers ahead (stdout and stderr), off the job's path: a direct
   * buffer is zeroed when allocated, 256 KiB each. The memory is what that job would take anyway.
   */
  static void preallocate() {
    while (SPARE.size() < 2 && SPARE.offer(ByteBuffer.allocateDirect(CHUNK))) {
      // until two are waiting
    }
  }

  /** Where the chunks go; used by the pump's thread only. */
  abstract static class Sink {
    final OutputPump pump;
    private ByteBuffer buf;

    Sink(OutputPump pump) {
      this.pump = pump;
    }

    /** The direct sink when the channel is a NIO socket channel, else the pipeline. */
    static Sink of(Channel channel, OutputPump pump) {
      SocketChannel socket = DirectSink.socketOf(channel);
      return socket != null ? new DirectSink(pump, socket) : new PipelineSink(pump, channel);
    }

    /** The buffer to fill (the same one each time). */
    final ByteBuffer buffer() {
      if (buf == null) {
        ByteBuffer spare = SPARE.poll();
        buf = spare != null ? spare : ByteBuffer.allocateDirect(CHUNK);
      }
      return buf;
    }

    /**
     * Sends {@code b} whole and returns once the channel has taken it (the host's pace); false when
     * the channel is gone. Returns early when the pump is cut.
     */
    abstract boolean send(ByteBuffer b) throws InterruptedException;

    /** Releases what the sink holds besides its buffer. */
    void finish() {}

    /** Leaves the buffer for the next pump (beyond {@link #SPARE}'s room the collector frees it). */
    final void recycle() {
      if (buf != null) {
        SPARE.offer(buf);
        buf = null;
      }
    }
  }

  /**
   * Writes to the NIO socket under the channel from the pump's thread, waiting for room with a
   * selector of its own. Netty never writes to an output channel meanwhile: the pump is its only
   * writer, and it half-closes through Netty only after its last write.
   */
  static final class DirectSink extends Sink {
    private final SocketChannel socket;
    private Selector selector;

    DirectSink(OutputPump pump, SocketChannel socket) {
      super(pump);
      this.socket = socket;
    }

    /** The JDK channel under a Netty NIO channel ({@code javaChannel()}), or null. */
    static SocketChannel socketOf(Channel channel) {
      if (!(channel instanceof AbstractNioChannel)) {
        return null;
      }
      try {
        Object ch = JavaChannel.METHOD.invoke(channel);
        return ch instanceof SocketChannel ? (SocketChannel) ch : null;
      } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
        LOG.log(System.Logger.Level.DEBUG, "writing through the pipeline: {0}", e.toString());
        return null;
      }
    }

    /** Looks {@code javaChannel()} up ahead (the warm-up); false when it is not available. */
    static boolean lookUpAhead() {
      try {
        return JavaChannel.METHOD != null;
      } catch (LinkageError e) {
        return false;
      }
    }

    /** {@code AbstractNioChannel.javaChannel()}, looked up once (each job's two pumps use it). */
    private static final class JavaChannel {
      static final Method METHOD = lookup();

      private static Method lookup() {
        try {
          Method m = AbstractNioChannel.class.getDeclaredMethod("javaChannel");
          m.setAccessible(true);
          return m;
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException("AbstractNioChannel.javaChannel() is not available: " + e, e);
        }
      }
    }

    @Override
    boolean send(ByteBuffer b) throws InterruptedException {
      try {
        while (b.hasRemaining() && !pump.isCut()) {
          if (socket.write(b) == 0) {
            awaitRoom();
          }
        }
        return true;
      } catch (IOException e) {
        LOG.log(System.Logger.Level.DEBUG, "writing to the socket: {0}", e.toString());
        return false;
      }
    }

    private void awaitRoom() throws IOException, InterruptedException {
      if (selector == null) {
        selector = Selector.open();
        socket.register(selector, SelectionKey.OP_WRITE);
      }
      selector.select(WAIT_SLICE_MS);
      selector.selectedKeys().clear();
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }

    @Override
    void finish() {
      if (selector != null) {
        try {
          selector.close(); // also lets a closed channel's file go
        } catch (IOException e) {
          LOG.log(System.Logger.Level.DEBUG, "closing the selector: {0}", e.toString());
        }
      }
    }
  }

  /**
   * Through the channel's pipeline (a channel that is not NIO, whose transport may pass a buffer on
   * as it is): a copy per chunk, and a wait for the write whenever the channel is over its high-water
   * mark.
   */
  static final class PipelineSink extends Sink {
    private final Channel channel;
    private ChannelFuture last;

    PipelineSink(OutputPump pump, Channel channel) {
      super(pump);
      this.channel = channel;
    }

    @Override
    boolean send(ByteBuffer b) throws InterruptedException {
      ChannelFuture f = channel.writeAndFlush(channel.alloc().buffer(b.remaining()).writeBytes(b));
      last = f;
      if (!channel.isWritable()) {
        while (!f.await(WAIT_SLICE_MS) && !pump.isCut()) {
          // wait for the host to take the data
        }
      }
      return !(f.isDone() && !f.isSuccess()) && channel.isActive();
    }

    @Override
    void finish() {
      // A half-close fails whatever is still queued, so let the queue empty first.
      while (last != null && !pump.isCut() && !last.awaitUninterruptibly(WAIT_SLICE_MS)) {
        // the host is still taking the data
      }
    }
  }
}
