package dev.sandboxkit.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The negotiated extensions (Ready.capabilities, Exec.env, Cancel) against extension-vectors.json:
 * exact bytes, decoding (also through Netty), mxc compatibility, and every rejection.
 */
class ExtensionVectorsTest {
  static List<GoldenVectors.Frame> frames() {
    return ExtensionVectors.frames();
  }

  static List<ExtensionVectors.DecodeOnly> decodeOnly() {
    return ExtensionVectors.decodeOnly();
  }

  static List<ExtensionVectors.Reject> mustReject() {
    return ExtensionVectors.mustReject();
  }

  @AfterAll
  static void noReportedLeaks() throws InterruptedException {
    LeakWatch.assertNoReportedLeaks();
  }

  @Test
  void everyExtensionFrameHasAnExpectedMessageAndEveryMessageTypeIsCovered() {
    assertEquals(ExtensionVectors.EXPECTED.keySet().size(), frames().size());
    List<String> types = new ArrayList<>();
    for (GoldenVectors.Frame f : frames()) {
      types.add(ExtensionVectors.expected(f.name()).type());
    }
    assertTrue(types.containsAll(List.of("Ready", "Exec", "Cancel")), types.toString());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("frames")
  void encodesToExactlyTheGoldenBytes(GoldenVectors.Frame f) throws Exception {
    ControlMessage m = ExtensionVectors.expected(f.name());
    assertArrayEquals(f.json().getBytes(StandardCharsets.UTF_8), ControlJson.toJson(m));
    assertArrayEquals(f.frame(), FrameCodec.encode(m));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("frames")
  void decodesBackToTheMessageKeepingTheOrder(GoldenVectors.Frame f) throws Exception {
    ControlMessage expected = ExtensionVectors.expected(f.name());
    DecodeResult r = FrameCodec.decode(f.frame(), 0, f.frame().length);
    assertEquals(new DecodeResult.Decoded(expected, f.frame().length), r);
    ControlMessage got = ((DecodeResult.Decoded) r).message();
    if (got instanceof ControlMessage.Exec e) {
      // Map equality ignores order; the wire order must survive too.
      assertEquals(List.copyOf(((ControlMessage.Exec) expected).env().keySet()), List.copyOf(e.env().keySet()));
    }
    if (got instanceof ControlMessage.Ready r2) {
      assertEquals(((ControlMessage.Ready) expected).capabilities(), r2.capabilities());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("frames")
  void decodesReorderedSpacedAndExtendedJsonTheSame(GoldenVectors.Frame f) throws Exception {
    ControlMessage expected = ExtensionVectors.expected(f.name());
    for (String variant : ControlVectorsTest.variants(f.json())) {
      assertEquals(expected, ControlJson.fromJson(variant.getBytes(StandardCharsets.UTF_8)), variant);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decodeOnly")
  void decodeOnlyInputsGiveTheMxcMessage(ExtensionVectors.DecodeOnly v) throws Exception {
    ControlMessage expected = ExtensionVectors.expected(v.sameAs());
    assertEquals(new DecodeResult.Decoded(expected, v.bytes().length), FrameCodec.decode(v.bytes(), 0, v.bytes().length));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mustReject")
  void everyMalformedExtensionIsRejectedSayingWhy(ExtensionVectors.Reject v) {
    MalformedFrameException e =
        assertThrows(MalformedFrameException.class, () -> FrameCodec.decode(v.bytes(), 0, v.bytes().length));
    assertTrue(e.getMessage().contains(v.messageContains()), v.name() + ": " + e.getMessage());
  }

  @Test
  void mxcReadyAndExecDecodeWithNoExtensions() throws Exception {
    ControlMessage ready = ControlJson.fromJson("{\"type\":\"Ready\"}".getBytes(StandardCharsets.UTF_8));
    assertEquals(List.of(), ((ControlMessage.Ready) ready).capabilities());
    assertFalse(((ControlMessage.Ready) ready).supports(Capabilities.ENV));
    for (GoldenVectors.Frame f : GoldenVectors.frames()) {
      ControlMessage m = ((DecodeResult.Decoded) FrameCodec.decode(f.frame(), 0, f.frame().length)).message();
      if (m instanceof ControlMessage.Exec e) {
        assertEquals(Map.of(), e.env(), f.name());
      }
    }
  }

  @Test
  void plainMessagesKeepMxcBytes() {
    assertArrayEquals(
        "{\"type\":\"Ready\"}".getBytes(StandardCharsets.UTF_8), ControlJson.toJson(new ControlMessage.Ready(List.of())));
    assertEquals(
        new String(ControlJson.toJson(new ControlMessage.Exec("x", "echo hi", "", 0)), StandardCharsets.UTF_8),
        new String(ControlJson.toJson(new ControlMessage.Exec("x", "echo hi", "", 0, Map.of())), StandardCharsets.UTF_8));
  }

  @Test
  void unknownFieldsBesideTheExtensionsAreIgnored() throws Exception {
    String json = "{\"type\":\"Ready\",\"tunnels\":{\"a\":[1,{\"b\":null}]},\"capabilities\":[\"env\"],"
        + "\"more\":[\"x\",[\"y\"]],\"n\":1.5}";
    assertEquals(new ControlMessage.Ready(List.of("env")), ControlJson.fromJson(json.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void everyExtensionFrameThroughNettyByteByByteAndConcatenated() {
    LeakWatch leaks = new LeakWatch();
    EmbeddedChannel ch =
        new EmbeddedChannel(new ControlFrameDecoder(), new ControlMessageDecoder(), new ControlFrameEncoder());
    try {
      for (GoldenVectors.Frame f : frames()) {
        byte[] b = f.frame();
        for (int i = 0; i < b.length; i++) {
          ch.writeInbound(leaks.buf(b, i, 1));
        }
        assertEquals(ExtensionVectors.expected(f.name()), ch.readInbound());
        assertNull(ch.readInbound());
        assertTrue(ch.writeOutbound(ExtensionVectors.expected(f.name())));
        io.netty.buffer.ByteBuf out = ch.readOutbound();
        try {
          assertArrayEquals(b, io.netty.buffer.ByteBufUtil.getBytes(out));
        } finally {
          out.release();
        }
      }
      ExtensionVectors.Reject bad = mustReject().get(0);
      DecoderException e = assertThrows(DecoderException.class, () -> ch.writeInbound(leaks.buf(bad.bytes())));
      assertTrue(e.getCause() instanceof MalformedFrameException, e.toString());
    } finally {
      assertFalse(ch.finishAndReleaseAll());
      leaks.assertAllReleased();
    }
  }
}
