package dev.sandboxkit.guest.executor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Platform;
import dev.sandboxkit.guest.listener.InboundQueue;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stdin pump's direct path on a real Unix socket, as in production: the agent's side is a Netty
 * NIO channel with reading paused and an {@link InboundQueue} (as {@code RoleRouter} sets a data
 * channel up), the host's side a plain socket the test writes. The pump reads the socket itself.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InputPumpDirectTest {
  @TempDir Path dir;

  private EventLoopGroup group;
  private Channel server;
  private Channel channel;
  private SocketChannel host;

  @BeforeEach
  void connect() throws Exception {
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    CompletableFuture<Channel> accepted = new CompletableFuture<>();
    UnixDomainSocketAddress address = UnixDomainSocketAddress.of(dir.resolve("s.sock"));
    server = new ServerBootstrap()
        .group(group)
        .channel(NioServerDomainSocketChannel.class)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.config().setAutoRead(false); // as RoleRouter leaves a data channel
            ch.pipeline().addLast(new InboundQueue());
            accepted.complete(ch);
          }
        })
        .bind(address).sync().channel();
    host = SocketChannel.open(StandardProtocolFamily.UNIX);
    host.connect(address);
    channel = accepted.get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void close() throws Exception {
    host.close();
    channel.close();
    server.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
  }

  @Test
  void manyMegabytesReachAProcessExactlyThroughTheDirectPath() throws Exception {
    assumeTrue(Platform.isLinux());
    byte[] data = random(9 * 1024 * 1024 + 17);
    Process p = new ProcessBuilder("cat").start();
    try {
      CompletableFuture<byte[]> job = readAll(p);
      InputPump pump = new InputPump(InboundQueue.of(channel), channel, p.getOutputStream());
      pump.start();
      send(data);
      host.shutdownOutput();
      assertTrue(pump.awaitDone(30_000));
      assertTrue(pump.wentDirect(), "a NIO socket channel is read by the pump itself");
      assertArrayEquals(data, job.get(30, TimeUnit.SECONDS));
    } finally {
      p.destroyForcibly().waitFor();
    }
  }

  /**
   * Bytes that came with the handshake were read by Netty and queued before the pump started: they
   * go to the job first, then what the pump reads itself. (Without taking the queue first they were
   * lost; read after the socket, they came last.)
   */
  @Test
  void whatNettyQueuedBeforeTheHandOverGoesFirst() throws Exception {
    byte[] early = random(70_001);
    byte[] later = random(500_000);
    channel.eventLoop().submit(() -> channel.pipeline().fireChannelRead(Unpooled.wrappedBuffer(early))).sync();
    ByteArrayOutputStream job = new ByteArrayOutputStream();
    InputPump pump = new InputPump(InboundQueue.of(channel), channel, job);
    pump.start();
    send(later);
    host.shutdownOutput();
    assertTrue(pump.awaitDone(30_000));
    byte[] expected = Arrays.copyOf(early, early.length + later.length);
    System.arraycopy(later, 0, expected, early.length, later.length);
    assertArrayEquals(expected, job.toByteArray());
  }

  @Test
  void anEmptyStdinEndsTheJobsStdinAtOnce() throws Exception {
    ClosingSink job = new ClosingSink();
    InputPump pump = new InputPump(InboundQueue.of(channel), channel, job);
    pump.start();
    host.shutdownOutput();
    assertTrue(pump.awaitDone(30_000));
    assertEquals(0, job.size());
    assertTrue(job.closed, "the job's stdin is closed at the end of the host's");
  }

  /**
   * Back-pressure: a job that does not read holds the pump in its write, and the pump reads the
   * socket no further, so the host's writes stop once the socket is full instead of the agent
   * buffering what the host sends.
   */
  @Test
  void aJobThatDoesNotReadStopsTheHostOnceTheSocketIsFull() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    OutputStream stuck = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        try {
          release.await();
        } catch (InterruptedException e) {
          throw new IOException(e);
        }
      }
    };
    InputPump pump = new InputPump(InboundQueue.of(channel), channel, stuck);
    pump.start();
    host.configureBlocking(false);
    ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
    long sent = 0;
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    int refused = 0;
    while (refused < 50 && System.nanoTime() - end < 0) {
      chunk.clear();
      int n = host.write(chunk);
      sent += n;
      if (n == 0) {
        refused++;
        Thread.sleep(10);
      } else {
        refused = 0;
      }
    }
    assertEquals(50, refused, "the host's writes stopped (" + sent + " bytes taken)");
    // What the host got rid of sits in the two socket buffers and the pump's one native buffer.
    long socketBuffers = 2L * host.getOption(java.net.StandardSocketOptions.SO_SNDBUF)
        + 2L * host.getOption(java.net.StandardSocketOptions.SO_RCVBUF);
    assertTrue(sent <= InputPump.DIRECT_CHUNK + socketBuffers + 1024 * 1024,
        "the agent buffered " + sent + " bytes for a job that does not read");
    pump.stop();
    release.countDown();
    channel.close();
    assertTrue(pump.awaitDone(30_000));
  }

  /** A job that closed its stdin gets nothing more; the rest is read and dropped so the host can finish. */
  @Test
  void aJobThatClosedItsStdinLetsTheHostWriteToTheEnd() throws Exception {
    assumeTrue(Platform.isLinux());
    Process p = new ProcessBuilder("head", "-c", "5").start();
    try {
      CompletableFuture<byte[]> job = readAll(p);
      InputPump pump = new InputPump(InboundQueue.of(channel), channel, p.getOutputStream());
      pump.start();
      send(new byte[16 * 1024 * 1024]); // blocks for good if the pump stopped reading
      host.shutdownOutput();
      assertTrue(pump.awaitDone(30_000));
      assertEquals(5, job.get(30, TimeUnit.SECONDS).length);
    } finally {
      p.destroyForcibly().waitFor();
    }
  }

  /** The job is over while the host keeps stdin open (a terminal, `sleep | ...`): stop ends the pump. */
  @Test
  void stopWhileWaitingForTheHostEndsThePumpAndTheJobsStdin() throws Exception {
    ClosingSink job = new ClosingSink();
    InputPump pump = new InputPump(InboundQueue.of(channel), channel, job);
    pump.start();
    send(new byte[] {1, 2, 3});
    OutputPumpTest.waitFor(() -> job.size() == 3, "the first bytes");
    assertFalse(pump.awaitDone(300), "the pump waits for more");
    pump.stop();
    channel.close();
    assertTrue(pump.awaitDone(30_000));
    assertTrue(job.closed);
  }

  @Test
  void aBulkWriterWidensTheJobsStdinPipe() throws Exception {
    assumeTrue(Platform.isLinux());
    Process p = new ProcessBuilder("cat").start();
    try {
      CompletableFuture<byte[]> job = readAll(p);
      InputPump.JobSink sink = InputPump.JobSink.of(p.getOutputStream());
      InputPump.PipeSink pipe = assertInstanceOf(InputPump.PipeSink.class, sink);
      assertEquals(PipeSource.DEFAULT_PIPE, pipe.pipeSize());
      sink.write(ByteBuffer.allocateDirect(10)); // a little: the default pipe stays
      assertEquals(PipeSource.DEFAULT_PIPE, pipe.pipeSize());
      sink.write(ByteBuffer.allocateDirect(PipeSource.DEFAULT_PIPE));
      assertTrue(pipe.pipeSize() > PipeSource.DEFAULT_PIPE, "pipe size " + pipe.pipeSize());
      p.getOutputStream().close();
      assertEquals(10 + PipeSource.DEFAULT_PIPE, job.get(30, TimeUnit.SECONDS).length);
    } finally {
      p.destroyForcibly().waitFor();
    }
  }

  private void send(byte[] data) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(data);
    while (b.hasRemaining()) {
      host.write(b);
    }
  }

  private static CompletableFuture<byte[]> readAll(Process p) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return p.getInputStream().readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  /** A job's stdin that remembers what it got and whether it was closed. */
  private static final class ClosingSink extends ByteArrayOutputStream {
    volatile boolean closed;

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      super.write(b, off, len);
    }

    @Override
    public synchronized int size() {
      return super.size();
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
