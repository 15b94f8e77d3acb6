package dev.sandboxkit.lifecycle.internal.rendezvous;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RendezvousAddressTest {

  @Test
  void parsesTcp() {
    assertEquals(Optional.of(new RendezvousAddress.Tcp("172.20.1.5", 50123)),
        RendezvousAddress.parse("172.20.1.5:50123\n"));
    InetSocketAddress a = (InetSocketAddress) RendezvousAddress.parse("10.0.0.1:1").get().resolve(Path.of("/x"));
    assertEquals(1, a.getPort());
  }

  @Test
  void parsesUnixRelativeToTheHostFolder() {
    RendezvousAddress a = RendezvousAddress.parse("unix:agent.sock").get();
    assertEquals(new RendezvousAddress.Unix("agent.sock"), a);
    assertEquals(UnixDomainSocketAddress.of(Path.of("/run/rv/agent.sock")), a.resolve(Path.of("/run/rv")));
    assertEquals("unix:agent.sock", a.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "unix:", "unix:../x", "unix:a/b", "unix:/abs", "unix:..", "unix:.",
      "unix:a\\b", "1.2.3.4", "1.2.3.4:", ":80", "1.2.3.4:0", "1.2.3.4:65536", "1.2.3.4:99999999",
      "256.1.1.1:80", "host:80", "1.2.3:80", "1.2.3.4:8a", "1.2.3.4:-1", "[::1]:80", "unix:agent sock"})
  void rejects(String text) {
    assertTrue(RendezvousAddress.parse(text).isEmpty(), text);
  }

  @Test
  void rejectsNull() {
    assertTrue(RendezvousAddress.parse(null).isEmpty());
  }
}
