package dev.sandboxkit.lifecycle.internal.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.auth.ChannelRole;
import dev.sandboxkit.auth.Nonce;
import dev.sandboxkit.lifecycle.internal.rendezvous.RendezvousAddress;
import dev.sandboxkit.protocol.ControlMessage;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * A state root (or {@code java.io.tmpdir}) deep enough that the guest's socket path exceeds the
 * 108-byte {@code sun_path} limit: the host still connects ("Unix domain path too long" must not happen).
 */
@Timeout(30)
@EnabledOnOs({OS.LINUX, OS.MAC})
class UnixPathAliasDeepPathTest {
  @TempDir Path tmp;

  Path deepRendezvousDir() throws IOException {
    Path deep = Files.createDirectories(tmp.resolve("state-" + "s".repeat(50)).resolve("c".repeat(36))
        .resolve("rendezvous"));
    assertTrue(deep.resolve("agent.sock").toString().getBytes(StandardCharsets.UTF_8).length > 108,
        "the test needs a path over the sun_path limit");
    return deep;
  }

  @Test
  void bridgeRunsAJobAgainstAGuestListeningAtADeepPath() throws Exception {
    Path deep = deepRendezvousDir();
    // The guest binds through a short link to the deep folder (inside bwrap it sees a short path).
    Path guestView = Files.createSymbolicLink(tmp.resolve("g"), deep);
    Nonce nonce = Nonce.generate();
    try (FakeGuest g = new FakeGuest(guestView, nonce, guest -> {
      guest.hello(new byte[0]);
      ControlMessage.Exec exec = (ControlMessage.Exec) guest.receive();
      guest.write(ChannelRole.STDOUT, "deep ok");
      guest.endOutput();
      guest.send(new ControlMessage.Exit(exec.execId(), 0, ""));
    })) {
      assertTrue(Files.exists(deep.resolve("agent.sock")));
      // The host resolves "unix:agent.sock" in its own (deep) view of the folder, as OneShotRun does.
      SocketAddress advertised = RendezvousAddress.parse("unix:agent.sock").orElseThrow().resolve(deep);
      Path aliasDir;
      try (UnixPathAlias alias = UnixPathAlias.of(advertised);
          GuestConnection c = GuestConnection.open(alias.address(), nonce, Duration.ofSeconds(5))) {
        assertNotEquals(advertised, alias.address());
        aliasDir = ((UnixDomainSocketAddress) alias.address()).getPath().getParent().getParent();
        ExecOutcome o = new ExecCall().execute(c, "exec-deep", "cmd", "", 5000, null, null, null);
        g.awaitScript();
        assertEquals(ExecOutcome.Kind.EXITED, o.kind());
        assertEquals(0, o.exitCode());
        assertEquals("deep ok", new String(o.stdout(), StandardCharsets.UTF_8));
      }
      assertFalse(Files.exists(aliasDir), "alias removed on close");
    }
  }

  @Test
  void aMissingFirstBaseFallsBackToTheNext() throws Exception {
    Path deep = deepRendezvousDir();
    Path base = Files.createDirectories(tmp.resolve("b"));
    try (UnixPathAlias alias = UnixPathAlias.of(UnixDomainSocketAddress.of(deep.resolve("agent.sock")),
        List.of(tmp.resolve("missing"), base))) {
      Path p = ((UnixDomainSocketAddress) alias.address()).getPath();
      assertTrue(p.startsWith(base), p.toString());
      assertEquals(deep.toRealPath(), p.getParent().toRealPath());
    }
    try (var s = Files.list(base)) {
      assertEquals(0, s.count(), "alias dir removed");
    }
  }

  @Test
  void aLongJavaTmpdirAloneIsRefusedWithTheNumbers() throws Exception {
    Path deep = deepRendezvousDir();
    Path longBase = Files.createDirectories(tmp.resolve("t".repeat(100)));
    IOException e = assertThrows(IOException.class, () -> UnixPathAlias.of(
        UnixDomainSocketAddress.of(deep.resolve("agent.sock")), List.of(tmp.resolve("missing"), longBase)));
    assertTrue(e.getMessage().contains(deep.resolve("agent.sock").toString()), e.getMessage());
    assertTrue(e.getMessage().contains("over the " + UnixPathAlias.MAX_PATH_BYTES + "-byte limit"), e.getMessage());
    assertTrue(e.getMessage().contains("(too long itself)"), e.getMessage());
    assertTrue(e.getMessage().contains("(not a directory)"), e.getMessage());
    try (var s = Files.list(longBase)) {
      assertEquals(0, s.count(), "nothing left in a rejected base");
    }
  }
}
