package dev.sandboxkit.lifecycle.internal.bridge;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.auth.ChannelRole;
import dev.sandboxkit.auth.Nonce;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14.1: where the workload can write the rendezvous folder (it shares the agent's uid on a
 * non-root host), it could replace the agent's socket with a link; the host, resolving it from its own
 * root, would hand the nonce to whatever the link names. The host dials only a socket itself.
 */
@EnabledOnOs(OS.LINUX)
class SocketCheckTest {
  @TempDir Path temp;

  @Test
  void aRealSocketPasses() throws Exception {
    Path sock = temp.resolve("agent.sock");
    try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      s.bind(UnixDomainSocketAddress.of(sock));
      GuestConnection.requireSocket(sock, ChannelRole.CONTROL);
    }
  }

  @Test
  void aLinkToARealSocketIsRefusedBeforeAnythingIsSent() throws Exception {
    Path target = temp.resolve("host-service.sock");
    Path planted = temp.resolve("agent.sock");
    try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      s.bind(UnixDomainSocketAddress.of(target));
      s.configureBlocking(false);
      Files.createSymbolicLink(planted, target);
      BridgeException e = assertThrows(BridgeException.class,
          () -> GuestConnection.open(UnixDomainSocketAddress.of(planted), Nonce.generate(), Duration.ofSeconds(2)));
      assertTrue(e.getMessage().contains("is not a socket but a symbolic link"), e.getMessage());
      assertTrue(s.accept() == null, "the host connected through the planted link");
    }
  }

  @Test
  void aFileInTheSocketsPlaceIsRefused() throws Exception {
    Path planted = Files.writeString(temp.resolve("agent.sock"), "x");
    BridgeException e = assertThrows(BridgeException.class,
        () -> GuestConnection.requireSocket(planted, ChannelRole.STDOUT));
    assertTrue(e.getMessage().contains("another kind of file"), e.getMessage());
  }

  @Test
  void aMissingSocketSaysSo() {
    BridgeException e = assertThrows(BridgeException.class,
        () -> GuestConnection.requireSocket(temp.resolve("gone.sock"), ChannelRole.STDIN));
    assertTrue(e.getMessage().contains("no such socket"), e.getMessage());
  }
}
