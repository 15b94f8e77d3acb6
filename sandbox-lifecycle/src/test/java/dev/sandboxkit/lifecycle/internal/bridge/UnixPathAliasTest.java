package dev.sandboxkit.lifecycle.internal.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class UnixPathAliasTest {
  @TempDir Path dir;

  @Test
  void shortPathsAreUsedAsIs() throws Exception {
    UnixDomainSocketAddress a = UnixDomainSocketAddress.of(dir.resolve("agent.sock"));
    try (UnixPathAlias alias = UnixPathAlias.of(a)) {
      assertSame(a, alias.address());
    }
  }

  @Test
  void longPathsConnectThroughAShortAlias() throws Exception {
    Path deep = Files.createDirectories(dir.resolve("a".repeat(60)).resolve("b".repeat(60)));
    // bind through the same trick: the server also needs a short path to bind
    try (UnixPathAlias bindAlias = UnixPathAlias.of(UnixDomainSocketAddress.of(deep.resolve("agent.sock")));
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(bindAlias.address());
      assertTrue(Files.exists(deep.resolve("agent.sock")));
      Path aliasDir;
      try (UnixPathAlias alias = UnixPathAlias.of(UnixDomainSocketAddress.of(deep.resolve("agent.sock")));
          SocketChannel c = SocketChannel.open(alias.address())) {
        aliasDir = ((UnixDomainSocketAddress) alias.address()).getPath().getParent().getParent();
        assertTrue(c.isConnected());
        assertEquals("agent.sock", ((UnixDomainSocketAddress) alias.address()).getPath().getFileName().toString());
      }
      assertFalse(Files.exists(aliasDir), "alias removed on close");
    }
  }
}
