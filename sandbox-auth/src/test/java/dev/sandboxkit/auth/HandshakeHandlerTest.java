package dev.sandboxkit.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** HandshakeHandler in an EmbeddedChannel with frozen time: every outcome, deterministic. */
class HandshakeHandlerTest {
  private static final Nonce NONCE = Nonce.fromBytes(NonceTest.sequential());
  private static final Duration DEADLINE = Duration.ofMillis(200);

  private final List<ByteBuf> inputs = new ArrayList<>();
  private final Recorder recorder = new Recorder();
  private final EmbeddedChannel ch = new EmbeddedChannel();

  HandshakeHandlerTest() {
    ch.freezeTime();
    ch.pipeline().addLast("handshake", new HandshakeHandler(NONCE, DEADLINE)).addLast("recorder", recorder);
  }

  @AfterEach
  void releaseEverything() {
    ch.finishAndReleaseAll();
    for (ByteBuf b : inputs) {
      assertEquals(0, b.refCnt(), "input buffer released");
    }
  }

  private ByteBuf buf(byte[] b, int off, int len) {
    ByteBuf buf = ByteBufAllocator.DEFAULT.buffer(len).writeBytes(b, off, len);
    inputs.add(buf);
    return buf;
  }

  private ByteBuf buf(byte[] b) {
    return buf(b, 0, b.length);
  }

  @ParameterizedTest
  @EnumSource(ChannelRole.class)
  void goodHandshakeFiresTheRolePassesExtraBytesOnAndRemovesItself(ChannelRole role) {
    byte[] extra = "first bytes of the stream\0\u00ff".getBytes(StandardCharsets.ISO_8859_1);
    ch.writeInbound(buf(HandshakeTest.concat(Handshake.encode(NONCE, role), extra)));
    assertEquals(List.of(new RoleAuthenticated(role)), recorder.events);
    assertArrayEquals(extra, recorder.data());
    assertNull(ch.pipeline().get("handshake"));
    assertTrue(ch.isOpen());
  }

  @Test
  void handshakeByteByByteThenLaterBytesAreDeliveredIntact() {
    byte[] hs = Handshake.encode(NONCE, ChannelRole.STDIN);
    for (int i = 0; i < hs.length; i++) {
      assertTrue(recorder.events.isEmpty(), "no event before byte " + i);
      ch.writeInbound(buf(hs, i, 1));
    }
    assertEquals(List.of(new RoleAuthenticated(ChannelRole.STDIN)), recorder.events);
    assertEquals(0, recorder.data().length);
    byte[] later = new byte[10_000];
    new java.util.Random(7).nextBytes(later);
    ch.writeInbound(buf(later, 0, 4000));
    ch.writeInbound(buf(later, 4000, 6000));
    assertArrayEquals(later, recorder.data());
  }

  @Test
  void deadlineIsCancelledOnSuccess() {
    ch.writeInbound(buf(Handshake.encode(NONCE, ChannelRole.CONTROL)));
    ch.advanceTimeBy(10, TimeUnit.SECONDS);
    ch.runPendingTasks();
    assertTrue(ch.isOpen());
    assertEquals(List.of(new RoleAuthenticated(ChannelRole.CONTROL)), recorder.events);
  }

  @Test
  void wrongNonceFiresFailedAndClosesWithoutPassingBytesOn() {
    byte[] hs = Handshake.encode(NONCE, ChannelRole.STDOUT);
    hs[0] ^= 1;
    ch.writeInbound(buf(HandshakeTest.concat(hs, new byte[] {1, 2, 3})));
    assertEquals(List.of(new HandshakeFailed(HandshakeException.Reason.WRONG_NONCE)), recorder.events);
    assertFalse(ch.isOpen());
    assertEquals(0, recorder.data().length);
  }

  @Test
  void unknownRoleFiresFailedAndCloses() {
    byte[] hs = Handshake.encode(NONCE, ChannelRole.STDOUT);
    hs[32] = 4;
    ch.writeInbound(buf(hs));
    assertEquals(List.of(new HandshakeFailed(HandshakeException.Reason.UNKNOWN_ROLE)), recorder.events);
    assertFalse(ch.isOpen());
  }

  @Test
  void peerClosingAfter20BytesIsShortRead() {
    ch.writeInbound(buf(Handshake.encode(NONCE, ChannelRole.STDOUT), 0, 20));
    assertTrue(recorder.events.isEmpty());
    ch.close();
    assertEquals(List.of(new HandshakeFailed(HandshakeException.Reason.SHORT_READ)), recorder.events);
  }

  @Test
  void silentPeerIsDroppedExactlyAtTheDeadline() {
    ch.writeInbound(buf(new byte[5]));
    ch.advanceTimeBy(DEADLINE.toMillis() - 1, TimeUnit.MILLISECONDS);
    ch.runPendingTasks();
    assertTrue(ch.isOpen(), "still open 1 ms before the deadline");
    assertTrue(recorder.events.isEmpty());
    ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
    ch.runPendingTasks();
    assertFalse(ch.isOpen());
    assertEquals(List.of(new HandshakeFailed(HandshakeException.Reason.DEADLINE)), recorder.events);
  }

  @Test
  void constructorValidatesItsSettings() {
    assertEquals(Duration.ofSeconds(1), HandshakeHandler.DEFAULT_DEADLINE);
    assertThrows(NullPointerException.class, () -> new HandshakeHandler(null));
    IllegalArgumentException zero =
        assertThrows(IllegalArgumentException.class, () -> new HandshakeHandler(NONCE, Duration.ZERO));
    assertTrue(zero.getMessage().contains("PT0S"), zero.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new HandshakeHandler(NONCE, Duration.ofMillis(-1)));
    assertFalse(new HandshakeHandler(NONCE).isSharable());
  }

  @Test
  void defaultDeadlineIsOneSecond() {
    EmbeddedChannel c = new EmbeddedChannel();
    c.freezeTime();
    Recorder r = new Recorder();
    c.pipeline().addLast("handshake", new HandshakeHandler(NONCE)).addLast(r);
    c.advanceTimeBy(999, TimeUnit.MILLISECONDS);
    c.runPendingTasks();
    assertTrue(c.isOpen());
    c.advanceTimeBy(1, TimeUnit.MILLISECONDS);
    c.runPendingTasks();
    assertFalse(c.isOpen());
    assertEquals(List.of(new HandshakeFailed(HandshakeException.Reason.DEADLINE)), r.events);
    c.finishAndReleaseAll();
  }
}
