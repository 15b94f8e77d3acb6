package dev.sandboxkit.guest.executor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The output pump on a real Unix socket: the agent's side is a Netty NIO channel (as in production),
 * the host's side a plain socket the test reads, or leaves unread to push back.
 */
@Timeout(60)
class OutputPumpTest {
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
            ch.config().setAutoRead(false); // as the agent's data channels
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
  @EnabledOnOs({OS.LINUX, OS.MAC})
  void aProcessPipeGoesFromItsFileChannelStraightToTheSocket() throws Exception {
    byte[] data = random(5 * 1024 * 1024 + 123);
    Path file = dir.resolve("data.bin");
    Files.write(file, data);
    Process p = new ProcessBuilder("cat", file.toString()).start();
    try {
      assertInstanceOf(PipeSource.ChannelSource.class, PipeSource.of(p.getInputStream()));
      assertInstanceOf(OutputPump.DirectSink.class, OutputPump.Sink.of(channel, null));
      OutputPump pump = new OutputPump(p.getInputStream(), channel, "stdout");
      pump.start();
      assertArrayEquals(data, readToEof());
      assertTrue(pump.awaitDone(10_000));
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  @EnabledOnOs({OS.LINUX, OS.MAC})
  void whatTheJdkTakesFromThePipeAtExitIsReadFromTheStream() throws Exception {
    Process p = new ProcessBuilder("sh", "-c", "read x; printf 'left in the pipe'").start();
    try {
      InputStream stream = p.getInputStream();
      PipeSource source = PipeSource.of(stream);
      assertInstanceOf(PipeSource.ChannelSource.class, source);
      p.getOutputStream().write('\n');
      p.getOutputStream().close();
      assertTrue(p.waitFor(10, TimeUnit.SECONDS));
      // On exit the JDK moves what is left in the pipe into the stream and closes the pipe's file.
      waitFor(() -> PipeSource.fileUnder(stream) == null, "the JDK to take the pipe's rest");
      ByteBuffer b = ByteBuffer.allocateDirect(OutputPump.CHUNK);
      assertTrue(source.read(b) > 0);
      source.fill(b);
      b.flip();
      assertEquals("left in the pipe", StandardCharsets.US_ASCII.decode(b).toString());
      assertEquals(-1, source.read(ByteBuffer.allocate(16)));
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void aJobThatFillsThePipeGetsAWiderOne() throws Exception {
    Path file = dir.resolve("zeros.bin");
    Files.write(file, new byte[4 * PipeSource.DEFAULT_PIPE]);
    // The job stays alive after writing: once it exits the JDK drains the pipe into the stream and
    // closes it, and the size could no longer be read (a race the assertion below used to lose).
    Process p = new ProcessBuilder("sh", "-c", "cat \"$0\"; exec sleep 60", file.toString()).start();
    try {
      PipeSource.ChannelSource source = (PipeSource.ChannelSource) PipeSource.of(p.getInputStream());
      assertEquals(PipeSource.DEFAULT_PIPE, source.pipeSize());
      // cat writes four pipes' worth: wait until it has filled the pipe, then read.
      InputStream stream = p.getInputStream();
      waitFor(() -> {
        try {
          return stream.available() >= PipeSource.DEFAULT_PIPE;
        } catch (IOException e) {
          throw new AssertionError(e);
        }
      }, "cat to fill the pipe");
      assertEquals(PipeSource.DEFAULT_PIPE, source.read(ByteBuffer.allocateDirect(OutputPump.CHUNK)));
      int size = source.pipeSize();
      assertTrue(size == PipeSource.WIDE_PIPE[0] || size == PipeSource.WIDE_PIPE[1], "pipe size " + size);
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void aJobThatWritesLittleKeepsTheDefaultPipe() throws Exception {
    Process p = new ProcessBuilder("sh", "-c", "printf hello; read x").start();
    try {
      PipeSource.ChannelSource source = (PipeSource.ChannelSource) PipeSource.of(p.getInputStream());
      ByteBuffer b = ByteBuffer.allocateDirect(OutputPump.CHUNK);
      assertEquals(5, source.read(b));
      assertEquals(PipeSource.DEFAULT_PIPE, source.pipeSize());
      p.getOutputStream().close();
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void anyOtherStreamIsReadThroughAHeapArray() throws Exception {
    byte[] data = random(3 * OutputPump.CHUNK + 5);
    InputStream in = new ByteArrayInputStream(data);
    assertInstanceOf(PipeSource.StreamSource.class, PipeSource.of(in));
    assertNull(PipeSource.fileUnder(new BufferedInputStream(in)));
    OutputPump pump = new OutputPump(in, channel, "stdout");
    pump.start();
    assertArrayEquals(data, readToEof());
    assertTrue(pump.awaitDone(10_000));
  }

  @Test
  void theUnixSocketGetsTheWiderSendBuffer() throws Exception {
    OutputPump pump = new OutputPump(new ByteArrayInputStream(new byte[] {1}), channel, "stderr");
    pump.start();
    assertArrayEquals(new byte[] {1}, readToEof());
    assertTrue(pump.awaitDone(10_000));
    // Linux reports twice what was set.
    assertTrue(channel.config().getOption(ChannelOption.SO_SNDBUF) >= OutputPump.SEND_BUFFER);
  }

  @Test
  void aFinishedPumpLeavesItsBufferForTheNextJob() throws Exception {
    int before = OutputPump.spareBuffers();
    InputStream in = new ByteArrayInputStream(new byte[3 * OutputPump.CHUNK]);
    OutputPump pump = new OutputPump(in, channel, "stdout");
    pump.start();
    assertEquals(3 * OutputPump.CHUNK, readToEof().length);
    assertTrue(pump.awaitDone(10_000));
    int after = OutputPump.spareBuffers();
    assertTrue(after >= Math.max(before, 1) && after <= OutputPump.BUFFERS, before + " -> " + after);
  }

  @Test
  void aHostThatDoesNotReadStopsThePumpOnceTheSocketIsFull() throws Exception {
    Chunks source = new Chunks(400); // 100 MiB, far more than the socket holds
    OutputPump pump = new OutputPump(source, channel, "stdout");
    Thread t = pump.start();
    waitFor(() -> waitsForRoom(t), "the pump to wait for room in the socket");
    // What the pump took from the job: what the socket holds (Linux lets it hold up to twice the
    // send buffer; 4x for headroom), plus the chunk it is writing. Not the 100 MiB on offer.
    long bound = 4L * channel.config().getOption(ChannelOption.SO_SNDBUF) + 2L * OutputPump.CHUNK;
    assertTrue(source.bytes() <= bound, source.bytes() + " > " + bound);
    assertEquals(400L * OutputPump.CHUNK, readToEof().length);
    assertTrue(pump.awaitDone(10_000));
  }

  @Test
  void cutWhileWaitingForTheHostEndsThePumpAndTheStream() throws Exception {
    Chunks source = new Chunks(Integer.MAX_VALUE);
    OutputPump pump = new OutputPump(source, channel, "stdout");
    Thread t = pump.start();
    waitFor(() -> waitsForRoom(t), "the pump to wait for room in the socket");
    pump.cut();
    assertTrue(pump.awaitDone(10_000));
    t.join(10_000);
    assertEquals(Thread.State.TERMINATED, t.getState());
    readToEof(); // the socket is closed once the pump let it go
  }

  @Test
  void aHostThatHasGoneMakesThePumpReadAndDropTheRest() throws Exception {
    host.close();
    Chunks source = new Chunks(50);
    OutputPump pump = new OutputPump(source, channel, "stdout");
    pump.start();
    assertTrue(pump.awaitDone(10_000));
    assertEquals(50L * OutputPump.CHUNK, source.bytes()); // the job never blocks on a full pipe
  }

  @Test
  void aChannelThatIsNotNioGetsACopyOfEachChunkThroughItsPipeline() throws Exception {
    EventLoopGroup local = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
    try {
      LocalAddress address = new LocalAddress("output-pump-" + System.nanoTime());
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      CompletableFuture<Void> ended = new CompletableFuture<>();
      new ServerBootstrap().group(local).channel(LocalServerChannel.class)
          .childHandler(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
              ByteBuf b = (ByteBuf) msg;
              byte[] bytes = new byte[b.readableBytes()];
              b.readBytes(bytes);
              b.release();
              got.writeBytes(bytes);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
              ended.complete(null);
            }
          })
          .bind(address).sync();
      Channel client = new Bootstrap().group(local).channel(LocalChannel.class)
          .handler(new ChannelInboundHandlerAdapter()).connect(address).sync().channel();
      assertInstanceOf(OutputPump.PipelineSink.class, OutputPump.Sink.of(client, null));
      // The local transport hands the written buffer itself to the peer: a reused buffer would
      // show up as repeated or mixed chunks here.
      byte[] data = random(3 * OutputPump.CHUNK + 9);
      OutputPump pump = new OutputPump(new ByteArrayInputStream(data), client, "stdout");
      pump.start();
      assertTrue(pump.awaitDone(10_000));
      client.close().sync();
      ended.get(10, TimeUnit.SECONDS);
      assertArrayEquals(data, got.toByteArray());
    } finally {
      local.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aPipelineThatIsGoneMakesThePumpReadAndDropTheRest() throws Exception {
    EventLoopGroup local = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
    try {
      Channel closed = new Bootstrap().group(local).channel(LocalChannel.class)
          .handler(new ChannelInboundHandlerAdapter()).register().sync().channel();
      closed.close().sync();
      Chunks source = new Chunks(20);
      OutputPump pump = new OutputPump(source, closed, "stderr");
      pump.start();
      assertTrue(pump.awaitDone(10_000));
      assertEquals(20L * OutputPump.CHUNK, source.bytes());
    } finally {
      local.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }
  }

  private static boolean waitsForRoom(Thread t) {
    return Arrays.stream(t.getStackTrace()).anyMatch(f -> f.getMethodName().equals("awaitRoom"));
  }

  private byte[] readToEof() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer b = ByteBuffer.allocate(64 * 1024);
    while (host.read(b) >= 0) {
      out.write(b.array(), 0, b.position());
      b.clear();
    }
    return out.toByteArray();
  }

  static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  static void waitFor(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() - end < 0, "waited 20 s for " + what);
      Thread.sleep(5);
    }
  }

  /** {@code count} chunks of zeros, one whole chunk per read, never more available. */
  static final class Chunks extends InputStream {
    private final int count;
    private volatile long reads;

    Chunks(int count) {
      this.count = count;
    }

    long bytes() {
      return reads * OutputPump.CHUNK;
    }

    @Override
    public int read() {
      throw new UnsupportedOperationException();
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (reads >= count) {
        return -1;
      }
      assertTrue(len >= OutputPump.CHUNK, "the pump reads whole chunks");
      Arrays.fill(b, off, off + OutputPump.CHUNK, (byte) 0);
      reads++;
      return OutputPump.CHUNK;
    }
  }
}
