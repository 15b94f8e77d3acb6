package dev.sandboxkit.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** HandshakeHandler behind a real Netty NIO server on loopback, with plain sockets as the host. */
@Timeout(20)
class HandshakeHandlerSocketTest {
  private static final Nonce NONCE = Nonce.fromBytes(NonceTest.sequential());
  private static final long WAIT_MS = 5000;

  private final LinkedBlockingQueue<Recorder> accepted = new LinkedBlockingQueue<>();
  /**
   * The deadline of connections accepted from now on. Long by default, so that on a loaded machine
   * only the tests about the deadline can ever see it; those set 200 ms.
   */
  private volatile Duration deadline = Duration.ofSeconds(10);
  private EventLoopGroup group;
  private Channel server;

  @BeforeEach
  void startServer() throws InterruptedException {
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    server =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    Recorder r = new Recorder();
                    ch.pipeline()
                        .addLast("handshake", new HandshakeHandler(NONCE, deadline))
                        .addLast("recorder", r);
                    accepted.add(r);
                  }
                })
            .bind(InetAddress.getLoopbackAddress(), 0)
            .sync()
            .channel();
  }

  @AfterEach
  void stopServer() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private Socket connect() throws IOException {
    InetSocketAddress a = (InetSocketAddress) server.localAddress();
    Socket s = new Socket(a.getAddress(), a.getPort());
    s.setSoTimeout((int) WAIT_MS);
    return s;
  }

  private Recorder acceptedConnection() throws InterruptedException {
    Recorder r = accepted.poll(WAIT_MS, TimeUnit.MILLISECONDS);
    assertNotNull(r, "the server accepted the connection");
    return r;
  }

  /** The guest closed: the host reads end of stream (or a reset, if bytes were left unread). */
  private static void assertClosedByGuest(Socket s) throws IOException {
    try {
      assertEquals(-1, s.getInputStream().read());
    } catch (SocketException reset) {
      assertTrue(String.valueOf(reset.getMessage()).contains("reset"), reset.toString());
    }
  }

  private void assertFailed(Socket s, HandshakeException.Reason reason) throws Exception {
    Recorder r = acceptedConnection();
    assertEquals(new HandshakeFailed(reason), r.nextEvent(WAIT_MS));
    r.inactive.get(WAIT_MS, TimeUnit.MILLISECONDS);
    assertClosedByGuest(s);
    assertNull(r.nextEvent(0), "exactly one event");
    assertEquals(0, r.data().length, "nothing passed on");
  }

  @Test
  void goodHandshakeAuthenticatesTheRoleAndExtraBytesArriveIntact() throws Exception {
    byte[] payload = new byte[256 * 1024];
    new Random(42).nextBytes(payload);
    try (Socket s = connect()) {
      OutputStream out = s.getOutputStream();
      byte[] hs = Handshake.encode(NONCE, ChannelRole.STDERR);
      out.write(HandshakeTest.concat(hs, java.util.Arrays.copyOf(payload, 100))); // same segment
      out.flush();
      Recorder r = acceptedConnection();
      assertEquals(new RoleAuthenticated(ChannelRole.STDERR), r.nextEvent(WAIT_MS));
      out.write(payload, 100, payload.length - 100);
      out.flush();
      assertArrayEquals(payload, r.awaitData(payload.length, WAIT_MS));
      assertNull(r.nextEvent(0), "no further event");
      assertTrue(!r.inactive.isDone(), "the channel stays open");
    }
  }

  @Test
  void handshakeSplitAcrossWritesStillAuthenticates() throws Exception {
    try (Socket s = connect()) {
      OutputStream out = s.getOutputStream();
      byte[] hs = Handshake.encode(NONCE, ChannelRole.CONTROL);
      out.write(hs, 0, 1);
      out.flush();
      Recorder r = acceptedConnection();
      out.write(hs, 1, 31);
      out.flush();
      out.write(hs, 32, 1);
      out.flush();
      assertEquals(new RoleAuthenticated(ChannelRole.CONTROL), r.nextEvent(WAIT_MS));
    }
  }

  @Test
  void wrongNonceClosesTheChannel() throws Exception {
    try (Socket s = connect()) {
      byte[] hs = Handshake.encode(NONCE, ChannelRole.STDIN);
      hs[31] ^= (byte) 0x80;
      s.getOutputStream().write(hs);
      assertFailed(s, HandshakeException.Reason.WRONG_NONCE);
    }
  }

  @Test
  void unknownRoleClosesTheChannel() throws Exception {
    try (Socket s = connect()) {
      byte[] hs = Handshake.encode(NONCE, ChannelRole.STDIN);
      hs[32] = (byte) 0xFF;
      s.getOutputStream().write(hs);
      assertFailed(s, HandshakeException.Reason.UNKNOWN_ROLE);
    }
  }

  @Test
  void twentyByteShortWriteThenCloseIsShortRead() throws Exception {
    Socket s = connect();
    s.getOutputStream().write(Handshake.encode(NONCE, ChannelRole.STDOUT), 0, 20);
    s.getOutputStream().flush();
    s.close();
    Recorder r = acceptedConnection();
    assertEquals(new HandshakeFailed(HandshakeException.Reason.SHORT_READ), r.nextEvent(WAIT_MS));
    r.inactive.get(WAIT_MS, TimeUnit.MILLISECONDS);
    assertNull(r.nextEvent(0));
  }

  @Test
  void silentPeerIsDroppedByTheDeadline() throws Exception {
    deadline = Duration.ofMillis(200);
    try (Socket s = connect()) {
      assertFailed(s, HandshakeException.Reason.DEADLINE);
    }
  }

  @Test
  void slowPeerThatStartedButDidNotFinishIsDroppedByTheDeadline() throws Exception {
    deadline = Duration.ofMillis(200);
    try (Socket s = connect()) {
      s.getOutputStream().write(Handshake.encode(NONCE, ChannelRole.STDOUT), 0, 32);
      assertFailed(s, HandshakeException.Reason.DEADLINE);
    }
  }

  @Test
  void eachConnectionIsJudgedOnItsOwn() throws Exception {
    deadline = Duration.ofSeconds(2);
    try (Socket silent = connect(); Socket good = connect()) {
      Recorder first = acceptedConnection();
      Recorder second = acceptedConnection();
      good.getOutputStream().write(Handshake.encode(NONCE, ChannelRole.STDOUT));
      Object e1 = first.nextEvent(WAIT_MS);
      Object e2 = second.nextEvent(WAIT_MS);
      // Accept order between the two is not fixed; the silent one fails, the good one succeeds.
      java.util.Set<Object> events = java.util.Set.of(e1, e2);
      assertEquals(
          java.util.Set.of(new RoleAuthenticated(ChannelRole.STDOUT), new HandshakeFailed(HandshakeException.Reason.DEADLINE)),
          events);
      InputStream goodIn = good.getInputStream();
      good.setSoTimeout(300);
      assertThrowsTimeout(goodIn);
    }
  }

  private static void assertThrowsTimeout(InputStream in) throws IOException {
    try {
      int b = in.read();
      throw new AssertionError("the authenticated channel was closed or sent data: " + b);
    } catch (java.net.SocketTimeoutException expected) {
      // still open: nothing to read
    }
  }
}
