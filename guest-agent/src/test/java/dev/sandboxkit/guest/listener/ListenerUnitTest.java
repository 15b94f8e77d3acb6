package dev.sandboxkit.guest.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.auth.ChannelRole;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListenerUnitTest {
  @Test
  void slotsPairByRoleNotByOrder() throws Exception {
    ChannelSlots s = new ChannelSlots();
    CompletableFuture<Map<ChannelRole, io.netty.channel.Channel>> f = s.sessionPhase();
    EmbeddedChannel c = new EmbeddedChannel(), i = new EmbeddedChannel(), o = new EmbeddedChannel(), e = new EmbeddedChannel();
    assertEquals(ChannelSlots.Offer.ACCEPTED, s.offer(ChannelRole.STDERR, e));
    assertEquals(ChannelSlots.Offer.ACCEPTED, s.offer(ChannelRole.STDOUT, o));
    assertEquals(ChannelSlots.Offer.ACCEPTED, s.offer(ChannelRole.STDIN, i));
    assertFalse(f.isDone());
    assertEquals(ChannelSlots.Offer.ACCEPTED, s.offer(ChannelRole.CONTROL, c));
    Map<ChannelRole, io.netty.channel.Channel> m = f.get();
    assertSame(c, m.get(ChannelRole.CONTROL));
    assertSame(i, m.get(ChannelRole.STDIN));
    assertSame(o, m.get(ChannelRole.STDOUT));
    assertSame(e, m.get(ChannelRole.STDERR));
    assertEquals(ChannelSlots.Offer.REFUSED_NO_PHASE, s.offer(ChannelRole.STDIN, new EmbeddedChannel()));
  }

  @Test
  void aDuplicateDisplacesAndClosesTheEarlierChannel() {
    ChannelSlots s = new ChannelSlots();
    EmbeddedChannel first = new EmbeddedChannel(), second = new EmbeddedChannel();
    s.offer(ChannelRole.STDOUT, first);
    assertEquals(ChannelSlots.Offer.DISPLACED_EARLIER, s.offer(ChannelRole.STDOUT, second));
    assertFalse(first.isOpen());
    assertTrue(second.isOpen());
  }

  /**
   * Handshakes finish in no fixed order across event loops: a connection accepted before the one
   * holding the role never takes its place, however late its handshake completes.
   */
  @Test
  void aConnectionAcceptedEarlierNeverDisplacesOneAcceptedLater() {
    ChannelSlots s = new ChannelSlots();
    AcceptOrder order = new AcceptOrder();
    EmbeddedChannel server = new EmbeddedChannel(order);
    EmbeddedChannel early = new EmbeddedChannel(), late = new EmbeddedChannel();
    server.writeInbound(early, late); // accepted in this order
    assertEquals(ChannelSlots.Offer.ACCEPTED, s.offer(ChannelRole.STDIN, late)); // its handshake first
    assertEquals(ChannelSlots.Offer.SUPERSEDED, s.offer(ChannelRole.STDIN, early));
    assertTrue(late.isOpen());
    EmbeddedChannel later = new EmbeddedChannel();
    server.writeInbound(later);
    assertEquals(ChannelSlots.Offer.DISPLACED_EARLIER, s.offer(ChannelRole.STDIN, later));
    assertFalse(late.isOpen());
    assertTrue(AcceptOrder.acceptedBefore(early, later));
    assertFalse(AcceptOrder.acceptedBefore(later, early));
    server.finishAndReleaseAll();
  }

  @Test
  void aChannelThatDiesWhileWaitingFreesItsSlot() throws Exception {
    ChannelSlots s = new ChannelSlots();
    var f = s.sessionPhase();
    EmbeddedChannel dead = new EmbeddedChannel();
    s.offer(ChannelRole.STDIN, dead);
    dead.close();
    s.offer(ChannelRole.CONTROL, new EmbeddedChannel());
    s.offer(ChannelRole.STDOUT, new EmbeddedChannel());
    s.offer(ChannelRole.STDERR, new EmbeddedChannel());
    assertFalse(f.isDone(), "a dead stdin must not complete the set");
    EmbeddedChannel live = new EmbeddedChannel();
    s.offer(ChannelRole.STDIN, live);
    assertSame(live, f.get().get(ChannelRole.STDIN));
  }

  @Test
  void theDataPhaseRefusesControl() throws Exception {
    ChannelSlots s = new ChannelSlots();
    for (ChannelRole r : ChannelRole.values()) {
      s.offer(r, new EmbeddedChannel());
    }
    var f = s.openDataPhase();
    assertEquals(ChannelSlots.Offer.REFUSED_ROLE_NOT_WANTED, s.offer(ChannelRole.CONTROL, new EmbeddedChannel()));
    s.offer(ChannelRole.STDOUT, new EmbeddedChannel());
    s.offer(ChannelRole.STDERR, new EmbeddedChannel());
    s.offer(ChannelRole.STDIN, new EmbeddedChannel());
    assertEquals(3, f.get().size());
    assertThrows(IllegalStateException.class, () -> {
      s.openDataPhase();
      s.openDataPhase();
    });
  }

  @Test
  void rendezvousIsWrittenAtomicallyWithoutLeftovers(@TempDir Path dir) throws Exception {
    RendezvousFile.write(dir, "unix:agent.sock");
    assertEquals("unix:agent.sock", Files.readString(dir.resolve("rendezvous.txt")));
    RendezvousFile.write(dir, "10.0.0.2:4242");
    assertEquals("10.0.0.2:4242", Files.readString(dir.resolve("rendezvous.txt")));
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(1, s.count(), "no temporary file may be left behind");
    }
  }

  @Test
  void rendezvousIsOwnerOnlyOnPosix(@TempDir Path dir) throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
    RendezvousFile.write(dir, "unix:agent.sock");
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(dir.resolve(RendezvousFile.FILE_NAME))));
  }

  @Test
  void rendezvousIntoAMissingFolderFails(@TempDir Path dir) {
    assertThrows(java.nio.file.NoSuchFileException.class,
        () -> RendezvousFile.write(dir.resolve("missing"), "unix:agent.sock"));
  }

  @Test
  void transportsParse() {
    assertEquals(Transport.UNIX, Transport.parse("unix"));
    assertEquals(Transport.TCP, Transport.parse("TCP"));
    assertThrows(IllegalArgumentException.class, () -> Transport.parse("pipe"));
    assertEquals("unix:agent.sock", AdvertisedAddress.unix(AgentListener.SOCKET_FILE));
    assertEquals("1.2.3.4:5", AdvertisedAddress.tcp("1.2.3.4", 5));
  }

  @Test
  void bindFailureNamesThePath(@TempDir Path dir) {
    Path missing = dir.resolve("missing");
    ListenerException e = assertThrows(ListenerException.class,
        () -> AgentListener.bind(Transport.UNIX, missing, dev.sandboxkit.auth.Nonce.generate(), null,
            java.time.Duration.ofSeconds(1)));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
  }
}
