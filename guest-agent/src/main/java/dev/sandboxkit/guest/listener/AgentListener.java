package dev.sandboxkit.guest.listener;

import dev.sandboxkit.auth.ChannelRole;
import dev.sandboxkit.auth.HandshakeHandler;
import dev.sandboxkit.auth.Nonce;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
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
   * Binds and publishes.
   *
   * @param advertiseHost tcp only: the address to advertise, or null for the first non-loopback IPv4
   * @param handshakeDeadline per-connection handshake deadline (1 s in production)
   */
  public static AgentListener bind(
      Transport transport,
      Path rendezvousDir,
      Nonce nonce,
      String advertiseHost,
      Duration handshakeDeadline)
      throws ListenerException {
    ChannelSlots slots = new ChannelSlots();
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      ServerBootstrap b =
          new ServerBootstrap()
              .group(group)
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
      SocketAddress bindTo;
      Path socketFile = null;
      String host = null;
      if (transport == Transport.UNIX) {
        socketFile = rendezvousDir.resolve(SOCKET_FILE);
        Files.deleteIfExists(socketFile);
        b.channel(NioServerDomainSocketChannel.class);
        bindTo = UnixDomainSocketAddress.of(socketFile);
      } else {
        host = advertiseHost != null ? advertiseHost : AdvertisedAddress.firstNonLoopbackIpv4()
            .orElseThrow(() -> new IOException(
                "no up, non-loopback IPv4 interface to advertise; pass --advertise-host"));
        // Half-closure keeps a data channel open for writing when the host ends its input. Netty's
        // NIO domain socket config does not know the option; there the host's half-close of stdin
        // closes the channel, which ends the job's stdin just the same.
        b.channel(NioServerSocketChannel.class)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        bindTo = new InetSocketAddress("0.0.0.0", 0);
      }
      Channel server;
      try {
        server = b.bind(bindTo).syncUninterruptibly().channel();
      } catch (Exception e) { // Netty rethrows the bind's IOException unchecked
        throw new IOException("cannot bind " + bindTo + ": " + e.getMessage(), e);
      }
      String address =
          transport == Transport.UNIX
              ? AdvertisedAddress.unix(SOCKET_FILE)
              : AdvertisedAddress.tcp(host, ((InetSocketAddress) server.localAddress()).getPort());
      try {
        RendezvousFile.write(rendezvousDir, address);
      } catch (IOException e) {
        server.close().syncUninterruptibly();
        throw new IOException(
            "cannot write " + rendezvousDir.resolve(RendezvousFile.FILE_NAME) + ": " + e.getMessage(), e);
      }
      LOG.log(System.Logger.Level.INFO, "listening, advertised as {0}", address);
      return new AgentListener(group, server, slots, address, socketFile);
    } catch (IOException e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw new ListenerException(e.getMessage(), e);
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
