package dev.sandboxkit.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** ControlFrameDecoder + ControlMessageDecoder + ControlFrameEncoder in an EmbeddedChannel. */
class NettyCodecTest {
  private final LeakWatch leaks = new LeakWatch();
  private final EmbeddedChannel ch =
      new EmbeddedChannel(new ControlFrameDecoder(), new ControlMessageDecoder(), new ControlFrameEncoder());

  static List<GoldenVectors.Frame> frames() {
    return GoldenVectors.frames();
  }

  @AfterEach
  void finishAndCheckBuffers() {
    assertFalse(ch.finishAndReleaseAll(), "nothing left unread in the channel");
    leaks.assertAllReleased();
  }

  @AfterAll
  static void noReportedLeaks() throws InterruptedException {
    LeakWatch.assertNoReportedLeaks();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("frames")
  void goldenFrameDeliveredByteByByte(GoldenVectors.Frame f) {
    byte[] b = f.frame();
    for (int i = 0; i < b.length - 1; i++) {
      assertFalse(ch.writeInbound(leaks.buf(b, i, 1)), "no message before byte " + i);
    }
    assertTrue(ch.writeInbound(leaks.buf(b, b.length - 1, 1)));
    assertEquals(GoldenVectors.expected(f), ch.readInbound());
    assertNull(ch.readInbound());
  }

  @Test
  void allGoldenFramesConcatenatedInOneBuffer() {
    assertTrue(ch.writeInbound(leaks.buf(GoldenVectors.allFramesConcatenated())));
    assertInboundIsAllGoldenMessages();
  }

  @Test
  void allGoldenFramesConcatenatedByteByByte() {
    byte[] all = GoldenVectors.allFramesConcatenated();
    for (int i = 0; i < all.length; i++) {
      ch.writeInbound(leaks.buf(all, i, 1));
    }
    assertInboundIsAllGoldenMessages();
  }

  @Test
  void allGoldenFramesAtSeededRandomSplitPoints() {
    byte[] all = GoldenVectors.allFramesConcatenated();
    Random random = new Random(20240611L);
    for (int round = 0; round < 20; round++) {
      int off = 0;
      while (off < all.length) {
        int n = Math.min(all.length - off, 1 + random.nextInt(60));
        ch.writeInbound(leaks.buf(all, off, n));
        off += n;
      }
      assertInboundIsAllGoldenMessages();
    }
  }

  @Test
  void incompleteVectorsProduceNothingAndNoError() {
    for (GoldenVectors.Vector v : GoldenVectors.incomplete()) {
      EmbeddedChannel c = new EmbeddedChannel(new ControlFrameDecoder(), new ControlMessageDecoder());
      assertFalse(c.writeInbound(leaks.buf(v.bytes())), v.name());
      assertNull(c.readInbound());
      assertFalse(c.finishAndReleaseAll(), "a partial frame at close is dropped: " + v.name());
    }
  }

  @Test
  void overLimitHeaderIsRejectedAsSoonAsFourBytesArrive() {
    byte[] tooLarge = GoldenVectors.mustReject("frame_too_large").bytes();
    assertFalse(ch.writeInbound(leaks.buf(tooLarge, 0, 3)));
    DecoderException e = assertThrows(DecoderException.class, () -> ch.writeInbound(leaks.buf(tooLarge, 3, 1)));
    FrameTooLongException cause = causeOf(e, FrameTooLongException.class);
    assertEquals(16_777_217L, cause.length());
    assertNull(ch.readInbound());
    // The decoder gave up on this channel: later bytes, even a valid frame, are discarded.
    assertFalse(ch.writeInbound(leaks.buf(new byte[4096])));
    assertFalse(ch.writeInbound(leaks.buf(GoldenVectors.frames().get(0).frame())));
    assertNull(ch.readInbound());
  }

  @Test
  void overLimitHeaderWithBodyBytesInTheSameBufferIsRejectedAndTheBytesDropped() {
    byte[] header = new byte[4];
    LittleEndian.putU32(header, 0, 0xFFFF_FFFFL);
    byte[] withBody = FrameCodecTest.concat(header, new byte[10_000]);
    DecoderException e = assertThrows(DecoderException.class, () -> ch.writeInbound(leaks.buf(withBody)));
    assertEquals(0xFFFF_FFFFL, causeOf(e, FrameTooLongException.class).length());
  }

  @Test
  void malformedFramesAreRejectedAndTheFramingStaysInStep() {
    for (GoldenVectors.Vector v : GoldenVectors.mustReject()) {
      if (v.name().startsWith("bad_preamble") || v.name().equals("frame_too_large")) {
        continue;
      }
      DecoderException e = assertThrows(DecoderException.class, () -> ch.writeInbound(leaks.buf(v.bytes())), v.name());
      causeOf(e, MalformedFrameException.class);
      assertTrue(ch.writeInbound(leaks.buf(GoldenVectors.frames().get(2).frame())));
      assertEquals(ControlMessage.PING, ch.readInbound());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("frames")
  void encoderWritesExactlyTheGoldenBytes(GoldenVectors.Frame f) {
    assertTrue(ch.writeOutbound(GoldenVectors.expected(f)));
    ByteBuf out = ch.readOutbound();
    try {
      assertArrayEquals(f.frame(), ByteBufUtil.getBytes(out));
    } finally {
      out.release();
    }
    assertNull(ch.readOutbound());
  }

  @Test
  void encoderRefusesAnOverLimitFrameAndTheDecoderAcceptsExactly16MiB() {
    ControlMessage over = BigFrames.execWithJsonLength(FrameCodec.MAX_FRAME_LENGTH + 1);
    Exception e = assertThrows(Exception.class, () -> ch.writeOutbound(over));
    causeOf(e, FrameTooLongException.class);
    assertNull(ch.readOutbound());

    ControlMessage exact = BigFrames.execWithJsonLength(FrameCodec.MAX_FRAME_LENGTH);
    assertTrue(ch.writeOutbound(exact));
    ByteBuf frame = ch.readOutbound();
    assertEquals(FrameCodec.MAX_FRAME_LENGTH + 4, frame.readableBytes());
    // Deliver it in 1 MiB pieces.
    while (frame.isReadable()) {
      ch.writeInbound(frame.readRetainedSlice(Math.min(frame.readableBytes(), 1 << 20)));
    }
    frame.release();
    assertEquals(exact, ch.readInbound());
    assertNull(ch.readInbound());
  }

  @Test
  void encoderOutputFeedsTheDecoders() {
    EmbeddedChannel peer = new EmbeddedChannel(new ControlFrameDecoder(), new ControlMessageDecoder());
    List<ControlMessage> sent = new ArrayList<>(GoldenVectors.EXPECTED.values());
    for (ControlMessage m : sent) {
      ch.writeOutbound(m);
    }
    for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
      peer.writeInbound(b);
      assertEquals(0, b.refCnt());
    }
    for (ControlMessage m : sent) {
      assertEquals(m, peer.readInbound());
    }
    assertFalse(peer.finishAndReleaseAll());
  }

  @Test
  void onlyTheStatelessHandlersAreSharable() {
    assertTrue(new ControlFrameEncoder().isSharable());
    assertTrue(new ControlMessageDecoder().isSharable());
    assertFalse(new ControlFrameDecoder().isSharable());
  }

  private void assertInboundIsAllGoldenMessages() {
    for (GoldenVectors.Frame f : GoldenVectors.frames()) {
      assertEquals(GoldenVectors.expected(f), ch.readInbound(), f.name());
    }
    assertNull(ch.readInbound());
  }

  static <T extends Throwable> T causeOf(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
    }
    fail("expected a " + type.getSimpleName() + " in the cause chain of " + t);
    return null;
  }
}
