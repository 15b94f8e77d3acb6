package dev.sandboxkit.guest.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.auth.Nonce;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The listener's start-up: the JDK socket bound and listening before Netty ({@link ListenSocket}),
 * the event loop set up ahead ({@link ListenerWarmup}) and the rendezvous file without SecureRandom.
 */
@Timeout(30)
class ListenerStartTest {
  @TempDir Path dir;

  @Test
  void unixListensBeforeNettyAndCloseRemovesTheSocketFile() throws Exception {
    Files.writeString(dir.resolve(AgentListener.SOCKET_FILE), "stale");
    ListenSocket s = ListenSocket.open(Transport.UNIX, dir, null);
    try {
      assertEquals("unix:agent.sock", s.address());
      assertEquals(dir.resolve(AgentListener.SOCKET_FILE), s.socketFile());
      try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
        assertTrue(c.connect(UnixDomainSocketAddress.of(s.socketFile())), "queued by the kernel, no accept yet");
      }
    } finally {
      s.close();
    }
    assertFalse(Files.exists(s.socketFile()));
    assertFalse(s.channel().isOpen());
  }

  @Test
  void tcpAdvertisesTheGivenHostAndTheBoundPort() throws Exception {
    ListenSocket s = ListenSocket.open(Transport.TCP, dir, "127.0.0.1");
    try {
      int port = ((InetSocketAddress) s.channel().getLocalAddress()).getPort();
      assertNotEquals(0, port);
      assertEquals("127.0.0.1:" + port, s.address());
      try (SocketChannel c = SocketChannel.open()) {
        assertTrue(c.connect(new InetSocketAddress("127.0.0.1", port)));
      }
    } finally {
      s.close();
    }
  }

  @Test
  void aUnixBindFailureNamesThePath() {
    Path missing = dir.resolve("missing");
    IOException e = assertThrows(IOException.class, () -> ListenSocket.open(Transport.UNIX, missing, null));
    assertTrue(e.getMessage().startsWith("cannot bind " + missing.resolve(AgentListener.SOCKET_FILE) + ": "),
        e.getMessage());
  }

  @Test
  void aSocketTheEventLoopRefusesIsAListenErrorAndIsCleanedUp() throws Exception {
    ListenSocket s = ListenSocket.open(Transport.UNIX, dir, null);
    s.channel().close(); // registration of a closed channel fails
    ListenerException e = assertThrows(ListenerException.class,
        () -> AgentListener.serve(s, Nonce.generate(), Duration.ofSeconds(1), null));
    assertTrue(e.getMessage().startsWith("cannot accept on unix:agent.sock: the event loop refused the socket: "),
        e.getMessage());
    assertFalse(Files.exists(s.socketFile()));
  }

  @Test
  void theEventLoopSetUpAheadServesTheListener() throws Exception {
    for (Transport t : Transport.values()) {
      ListenerWarmup w = ListenerWarmup.start(t);
      AgentListener l = AgentListener.bind(t, dir, Nonce.generate(), t == Transport.TCP ? "127.0.0.1" : null,
          Duration.ofSeconds(1), w);
      try {
        assertEquals(l.advertisedAddress(), Files.readString(dir.resolve(RendezvousFile.FILE_NAME)));
        if (t == Transport.UNIX) {
          try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            assertTrue(c.connect(UnixDomainSocketAddress.of(dir.resolve(AgentListener.SOCKET_FILE))));
          }
        } else {
          try (SocketChannel c = SocketChannel.open()) {
            assertTrue(c.connect(new InetSocketAddress("127.0.0.1", l.port())));
          }
        }
      } finally {
        l.close();
      }
    }
  }

  @Test
  void aBindFailureShutsTheEventLoopSetUpAheadDown() throws Exception {
    ListenerWarmup w = ListenerWarmup.start(Transport.UNIX);
    assertThrows(ListenerException.class, () -> AgentListener.bind(Transport.UNIX, dir.resolve("missing"),
        Nonce.generate(), null, Duration.ofSeconds(1), w));
    EventLoopGroup ahead = w.take(); // the same future: done, and shutting down
    assertNotNull(ahead);
    assertTrue(ahead.terminationFuture().await(10_000), "discarded group must terminate");
  }

  @Test
  void theRehearsalLeavesNothingBehind() throws Exception {
    EventLoopGroup g = AgentListener.newEventLoopGroup();
    try {
      AgentListener.rehearse(g, Transport.UNIX);
      AgentListener.rehearse(g, Transport.TCP);
      try (Stream<Path> s = Files.list(dir)) {
        assertEquals(0, s.count());
      }
    } finally {
      g.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  @Test
  void rendezvousWithoutFlushAndTemporaryNamesAreFreshAndOwnerOnly() throws Exception {
    RendezvousFile.write(dir, "unix:agent.sock", false);
    assertEquals("unix:agent.sock", Files.readString(dir.resolve(RendezvousFile.FILE_NAME)));
    Path a = RendezvousFile.createTemp(dir);
    Path b = RendezvousFile.createTemp(dir);
    assertNotEquals(a, b);
    assertTrue(a.getFileName().toString().matches("\\.rendezvous-[0-9]+-[0-9]+\\.tmp"), a.toString());
    assertEquals(0, Files.size(a));
    if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(a)));
    }
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(List.of(a, b, dir.resolve(RendezvousFile.FILE_NAME)).size(), s.count());
    }
  }
}
