package dev.sandboxkit.guest.listener;

import dev.sandboxkit.auth.ChannelRole;
import dev.sandboxkit.auth.HandshakeHandler;
import dev.sandboxkit.auth.Nonce;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Binds the agent's listener, publishes its address in {@code rendezvous.txt}, authenticates every
 * connection on its own deadline and pairs channels by declared role. Entry point of the package.
 */
public final class AgentListener implements AutoCloseable {
  /** Socket file name for the unix transport, inside the rendezvous folder. */
  public static final String SOCKET_FILE = "agent.sock";

  private static final System.Logger LOG = System.getLogger(AgentListener.class.getName());

  private final EventLoopGroup group;
  private final Channel server;
  private final ChannelSlots slots;
  private final String advertised;
  private final Path socketFile;

  private AgentListener(
      EventLoopGroup group, Channel server, ChannelSlots slots, String advertised, Path socketFile) {
    this.group = group;
    this.server = server;
    this.slots = slots;
    this.advertised = advertised;
    this.socketFile = socketFile;
  }

  /**
   * Binds and publishes: the socket is bound and listening, and rendezvous.txt written, before the
   * event loop is set up (see {@link ListenSocket}), so the host's connections wait in the kernel's
   * queue while Netty starts instead of the host waiting for both.
   *
   * @param advertiseHost tcp only: the address to advertise, or null for the default route's source IPv4
   * @param handshakeDeadline per-connection handshake deadline (1 s in production)
   */
  public static AgentListener bind(
      Transport transport,
      Path rendezvousDir,
      Nonce nonce,
      String advertiseHost,
      Duration handshakeDeadline)
      throws ListenerException {
    return bind(transport, rendezvousDir, nonce, advertiseHost, handshakeDeadline, null);
  }

  /**
   * {@link #bind(Transport, Path, Nonce, String, Duration)} with the event loop set up ahead.
   *
   * @param warmup the set-up started ahead, or null; this takes it over (also when it fails)
   */
  public static AgentListener bind(
      Transport transport,
      Path rendezvousDir,
      Nonce nonce,
      String advertiseHost,
      Duration handshakeDeadline,
      ListenerWarmup warmup)
      throws ListenerException {
    ListenSocket socket;
    try {
      socket = ListenSocket.open(transport, rendezvousDir, advertiseHost);
    } catch (IOException e) {
      discard(warmup);
      throw new ListenerException(e.getMessage(), e);
    }
    try {
      // unix: a host that can connect to a socket file in the folder shares this kernel, so the
      // rename alone publishes the line (no fsync on the start-up path)
      RendezvousFile.write(rendezvousDir, socket.address(), transport != Transport.UNIX);
    } catch (IOException e) {
      socket.close();
      discard(warmup);
      throw new ListenerException(
          "cannot write " + rendezvousDir.resolve(RendezvousFile.FILE_NAME) + ": " + e.getMessage(), e);
    }
    LOG.log(System.Logger.Level.INFO, "listening, advertised as {0}", socket.address());
    return serve(socket, nonce, handshakeDeadline, warmup == null ? null : warmup.take());
  }

  private static void discard(ListenerWarmup warmup) {
    if (warmup != null) {
      warmup.discard();
    }
  }

  /** The listener's event loop group: one NIO thread. */
  static EventLoopGroup newEventLoopGroup() {
    return new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  }

  /**
   * Starts the event loop (or takes {@code ready}, set up ahead) and hands it the bound socket;
   * closes the socket when that fails.
   */
  static AgentListener serve(ListenSocket socket, Nonce nonce, Duration handshakeDeadline, EventLoopGroup ready)
      throws ListenerException {
    ChannelSlots slots = new ChannelSlots();
    EventLoopGroup group = ready;
    if (group == null) {
      try {
        group = newEventLoopGroup();
      } catch (RuntimeException | Error e) {
        socket.close();
        throw new ListenerException("cannot start the listener's event loop: " + e, e);
      }
    }
    try {
      ChannelFuture registered = bootstrap(group, socket.channel(), socket.socketFile() != null,
          nonce, handshakeDeadline, slots).register().syncUninterruptibly();
      return new AgentListener(group, registered.channel(), slots, socket.address(), socket.socketFile());
    } catch (Exception e) { // Netty rethrows the registration's failure, even a checked one, unchecked
      socket.close();
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw new ListenerException(
          "cannot accept on " + socket.address() + ": the event loop refused the socket: " + e, e);
    }
  }

  /** The server bootstrap for a bound {@code javaChannel} (unix or tcp). */
  private static ServerBootstrap bootstrap(EventLoopGroup group, ServerSocketChannel javaChannel, boolean unix,
      Nonce nonce, Duration handshakeDeadline, ChannelSlots slots) {
    ServerBootstrap b =
        new ServerBootstrap()
            .group(group)
            .handler(new AcceptOrder())
            .childOption(
                ChannelOption.WRITE_BUFFER_WATER_MARK,
                new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
            // Reads of up to 256 KiB (default max 64 KiB): fewer buffers per MiB of stdin.
            .childOption(
                ChannelOption.RCVBUF_ALLOCATOR,
                new AdaptiveRecvByteBufAllocator(512, 64 * 1024, 256 * 1024))
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline()
                        .addLast("handshake", new HandshakeHandler(nonce, handshakeDeadline))
                        .addLast("router", new RoleRouter(slots));
                  }
                });
    if (unix) {
      b.channelFactory((ChannelFactory<ServerChannel>) () -> new NioServerDomainSocketChannel(javaChannel));
    } else {
      // Half-closure keeps a data channel open for writing when the host ends its input. Netty's
      // NIO domain socket config does not know the option; there the host's half-close of stdin
      // closes the channel, which ends the job's stdin just the same.
      b.channelFactory((ChannelFactory<ServerChannel>) () -> new NioServerSocketChannel(javaChannel))
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    }
    return b;
  }

  /**
   * Registers an unbound, throwaway server channel of {@code transport}'s kind with {@code group}
   * and closes it: the class loading and initialization of the real registration, done ahead
   * ({@link ListenerWarmup}). It accepts nothing (never bound) and leaves nothing behind.
   */
  static void rehearse(EventLoopGroup group, Transport transport) throws IOException {
    ServerSocketChannel ch = transport == Transport.UNIX
        ? ServerSocketChannel.open(StandardProtocolFamily.UNIX)
        : ServerSocketChannel.open();
    try {
      Channel c = bootstrap(group, ch, transport == Transport.UNIX, null, Duration.ofSeconds(1),
          new ChannelSlots()).register().syncUninterruptibly().channel();
      c.close().syncUninterruptibly();
    } finally {
      ch.close();
    }
  }

  /** What rendezvous.txt says. */
  public String advertisedAddress() {
    return advertised;
  }

  /** The TCP port, or -1 for the unix transport. */
  public int port() {
    SocketAddress a = server.localAddress();
    return a instanceof InetSocketAddress ? ((InetSocketAddress) a).getPort() : -1;
  }

  /** Completes once control, stdin, stdout and stderr have all been authenticated. */
  public CompletableFuture<SessionChannels> session() {
    return slots.sessionPhase().thenApply(m -> new SessionChannels(m.get(ChannelRole.CONTROL), data(m)));
  }

  /** Opens the data reconnect phase; completes once stdin, stdout and stderr are all back. */
  public CompletableFuture<DataChannels> acceptDataChannels() {
    return slots.openDataPhase().thenApply(AgentListener::data);
  }

  private static DataChannels data(Map<ChannelRole, Channel> m) {
    return new DataChannels(
        m.get(ChannelRole.STDIN), m.get(ChannelRole.STDOUT), m.get(ChannelRole.STDERR));
  }

  /** Stops accepting, closes every channel and the event loop, removes the socket file. */
  @Override
  public void close() {
    slots.close();
    server.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    if (socketFile != null) {
      try {
        Files.deleteIfExists(socketFile);
      } catch (IOException e) {
        LOG.log(System.Logger.Level.DEBUG, "cannot delete {0}: {1}", socketFile, e.getMessage());
      }
    }
  }
}
