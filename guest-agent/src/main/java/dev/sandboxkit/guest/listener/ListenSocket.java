package dev.sandboxkit.guest.listener;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The agent's listening socket, bound and listening with the JDK alone, before Netty has started:
 * the host can connect (the kernel queues its connections) while the agent's event loop is still
 * being set up, instead of waiting for both. {@link AgentListener} then hands the channel to Netty.
 *
 * @param channel bound and listening, in blocking mode (Netty switches it to non-blocking)
 * @param address what rendezvous.txt says ({@code unix:agent.sock} or {@code <ip>:<port>})
 * @param socketFile the unix socket file, or null for tcp
 */
record ListenSocket(ServerSocketChannel channel, String address, Path socketFile) {
  /**
   * Connections the kernel queues before the agent accepts them; Linux caps it at
   * {@code net.core.somaxconn} (as Netty's own default does).
   */
  static final int BACKLOG = 4096;

  /**
   * Binds and listens.
   *
   * @param advertiseHost tcp only: the address to advertise, or null for the default route's source address
   * @throws IOException saying what could not be bound (with the address) and why
   */
  static ListenSocket open(Transport transport, Path rendezvousDir, String advertiseHost) throws IOException {
    if (transport == Transport.UNIX) {
      Path socketFile = rendezvousDir.resolve(AgentListener.SOCKET_FILE);
      Files.deleteIfExists(socketFile);
      UnixDomainSocketAddress bindTo = UnixDomainSocketAddress.of(socketFile);
      return new ListenSocket(bind(ServerSocketChannel.open(StandardProtocolFamily.UNIX), bindTo),
          AdvertisedAddress.unix(AgentListener.SOCKET_FILE), socketFile);
    }
    String host = advertiseHost != null ? advertiseHost : AdvertisedAddress.defaultRouteIpv4();
    InetSocketAddress bindTo = new InetSocketAddress("0.0.0.0", 0);
    ServerSocketChannel ch = bind(ServerSocketChannel.open(), bindTo); // the platform's default family, as Netty
    return new ListenSocket(ch, AdvertisedAddress.tcp(host, ((InetSocketAddress) ch.getLocalAddress()).getPort()),
        null);
  }

  private static ServerSocketChannel bind(ServerSocketChannel ch, SocketAddress bindTo) throws IOException {
    try {
      return ch.bind(bindTo, BACKLOG);
    } catch (IOException | RuntimeException e) {
      closeQuietly(ch);
      throw new IOException("cannot bind " + bindTo + ": " + e.getMessage(), e);
    }
  }

  /** Closes the channel and removes the socket file (best effort). */
  void close() {
    closeQuietly(channel);
    if (socketFile != null) {
      try {
        Files.deleteIfExists(socketFile);
      } catch (IOException e) {
        // best effort: the caller reports the failure that led here
      }
    }
  }

  private static void closeQuietly(ServerSocketChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      // nothing more to do
    }
  }
}
