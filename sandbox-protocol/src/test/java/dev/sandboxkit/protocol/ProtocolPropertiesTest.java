package dev.sandboxkit.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Round trips for arbitrary content, and arbitrary input never escaping as anything but typed errors. */
class ProtocolPropertiesTest {

  // ---- generators ----

  /** Any Java string: all chars (lone surrogates too), JSON-hostile chars, supplementary code points. */
  @Provide
  Arbitrary<String> anyString() {
    Arbitrary<String> all = Arbitraries.strings().all().ofMaxLength(64);
    Arbitrary<String> hostile =
        Arbitraries.strings()
            .withChars("\"\\/{}[]:,'\u007f\u2028\u2029\ufeff")
            .withCharRange('\u0000', '\u001f')
            .ofMaxLength(32);
    Arbitrary<String> codePoints =
        Arbitraries.integers()
            .between(0, Character.MAX_CODE_POINT)
            .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE)
            .list()
            .ofMaxSize(24)
            .map(cps -> cps.stream().collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString());
    return Arbitraries.oneOf(all, hostile, codePoints);
  }

  @Provide
  Arbitrary<ControlMessage> anyMessage() {
    Arbitrary<ControlMessage> exec =
        Combinators.combine(anyString(), anyString(), anyString(), Arbitraries.longs().between(0, 0xFFFF_FFFFL))
            .as(ControlMessage.Exec::new);
    Arbitrary<ControlMessage> exit =
        Combinators.combine(anyString(), Arbitraries.integers(), anyString()).as(ControlMessage.Exit::new);
    Arbitrary<ControlMessage> bare =
        Arbitraries.of(ControlMessage.READY, ControlMessage.STREAMS_READY, ControlMessage.PING, ControlMessage.PONG);
    // Extensions: any env a constructor accepts (names without '=' and NUL, values without NUL).
    Arbitrary<String> envName = anyString().filter(n -> ControlMessage.Exec.envProblem(n, "") == null);
    Arbitrary<String> envValue = anyString().filter(v -> ControlMessage.Exec.envProblem("N", v) == null);
    Arbitrary<ControlMessage> execEnv =
        Combinators.combine(anyString(), anyString(), Arbitraries.maps(envName, envValue).ofMaxSize(5))
            .as((id, script, env) -> new ControlMessage.Exec(id, script, "", 0, env));
    Arbitrary<ControlMessage> ready = anyString().list().ofMaxSize(4).map(ControlMessage.Ready::new);
    Arbitrary<ControlMessage> cancel = anyString().map(ControlMessage.Cancel::new);
    return Arbitraries.oneOf(exec, exit, bare, execEnv, ready, cancel);
  }

  @Provide
  Arbitrary<List<ControlMessage>> messageLists() {
    return anyMessage().list().ofMaxSize(6);
  }

  /** Bytes that look like frames: a correct or random header in front of JSON-ish or random bodies. */
  @Provide
  Arbitrary<byte[]> frameLikeBytes() {
    Arbitrary<String> jsonish =
        Arbitraries.strings()
            .withChars("{}[]\":,.-+eE0123456789 \\u")
            .withChars("typeExcitRadyPngSsm_doklw")
            .ofMaxLength(120);
    Arbitrary<String> templated =
        Combinators.combine(
                Arbitraries.of("Ready", "Exec", "Exit", "Ping", "Pong", "StreamsReady", "Cancel", "Nope", ""),
                Arbitraries.of("\"exec_id\"", "\"env\"", "\"capabilities\"", "\"script_code\"", "\"working_directory\"", "\"timeout_ms\"",
                    "\"exit_code\"", "\"error_message\"", "\"type\"", "\"x\""),
                Arbitraries.of("\"s\"", "0", "-1", "4294967295", "4294967296", "1.5", "null", "[]", "{}", "true",
                    "99999999999999999999999999", "\"\\ud800\"", "\"\\u00\"", "{\"A\":\"b\"}",
                    "{\"A=\":\"b\"}", "{\"\":\"\"}", "[\"env\",1]", "[\"cancel\"]", "{\"A\":[]}"))
            .as((t, k, v) -> "{\"type\":\"" + t + "\"," + k + ":" + v + "}");
    Arbitrary<byte[]> bodies =
        Arbitraries.oneOf(
            jsonish.map(s -> s.getBytes(StandardCharsets.UTF_8)),
            templated.map(s -> s.getBytes(StandardCharsets.UTF_8)),
            Arbitraries.bytes().array(byte[].class).ofMaxSize(200));
    Arbitrary<byte[]> framed = bodies.map(ControlVectorsTest::frame);
    return Arbitraries.oneOf(framed, Arbitraries.bytes().array(byte[].class).ofMaxSize(300));
  }

  // ---- round trips ----

  @Property(tries = 1000)
  void encodeThenDecodeIsIdentity(@ForAll("anyMessage") ControlMessage m) throws Exception {
    byte[] frame = FrameCodec.encode(m);
    assertEquals(new DecodeResult.Decoded(m, frame.length), FrameCodec.decode(frame, 0, frame.length));
    assertEquals(m, FrameCodec.readFrame(new ByteArrayInputStream(frame)));
    assertEquals(frame.length - 4, LittleEndian.getU32(frame, 0));
  }

  @Property(tries = 300)
  void encodeThenDecodeThroughNettyIsIdentity(@ForAll("anyMessage") ControlMessage m) {
    EmbeddedChannel ch = new EmbeddedChannel(new ControlFrameDecoder(), new ControlMessageDecoder(), new ControlFrameEncoder());
    try {
      ch.writeOutbound(m);
      ByteBuf frame = ch.readOutbound();
      ch.writeInbound(frame);
      assertEquals(m, ch.readInbound());
    } finally {
      assertFalse(ch.finishAndReleaseAll());
    }
  }

  @Property(tries = 500)
  void execWithAnyStringsAndAnyTimeoutRoundTrips(
      @ForAll("anyString") String id, @ForAll("anyString") String script, @ForAll("anyString") String cwd,
      @ForAll @LongRange(min = 0, max = 0xFFFF_FFFFL) long timeout) throws Exception {
    ControlMessage m = new ControlMessage.Exec(id, script, cwd, timeout);
    assertEquals(m, ControlJson.fromJson(ControlJson.toJson(m)));
  }

  @Property(tries = 500)
  void exitWithAnyStringsAndAnyExitCodeRoundTrips(
      @ForAll("anyString") String id, @ForAll int code, @ForAll("anyString") String message) throws Exception {
    ControlMessage m = new ControlMessage.Exit(id, code, message);
    assertEquals(m, ControlJson.fromJson(ControlJson.toJson(m)));
  }

  @Property(tries = 300)
  void encodingIsStableAcrossConcatenation(@ForAll("messageLists") List<ControlMessage> ms)
      throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (ControlMessage m : ms) {
      FrameCodec.writeFrame(out, m);
    }
    byte[] all = out.toByteArray();
    int off = 0;
    for (ControlMessage m : ms) {
      DecodeResult.Decoded d = (DecodeResult.Decoded) FrameCodec.decode(all, off, all.length - off);
      assertEquals(m, d.message());
      assertArrayEquals(FrameCodec.encode(m), java.util.Arrays.copyOfRange(all, off, off + d.consumed()));
      off += d.consumed();
    }
    assertEquals(all.length, off);
  }

  // ---- hostile input ----

  @Property(tries = 3000)
  void arbitraryBytesToDecodeGiveAResultOrAProtocolException(@ForAll("frameLikeBytes") byte[] input) {
    try {
      DecodeResult r = FrameCodec.decode(input, 0, input.length);
      if (r instanceof DecodeResult.Decoded d) {
        assertTrue(d.consumed() >= 4 && d.consumed() <= input.length);
        assertEquals(d.consumed() - 4, LittleEndian.getU32(input, 0));
      } else if (input.length >= 4) {
        long declared = LittleEndian.getU32(input, 0);
        assertTrue(declared <= FrameCodec.MAX_FRAME_LENGTH && declared > input.length - 4, "incomplete only when short");
      }
    } catch (FrameTooLongException e) {
      assertTrue(LittleEndian.getU32(input, 0) > FrameCodec.MAX_FRAME_LENGTH);
    } catch (ProtocolException expected) {
      // typed rejection
    } catch (Throwable t) {
      fail("decode threw " + t + " for " + java.util.HexFormat.of().formatHex(input), t);
    }
  }

  @Property(tries = 1000)
  void arbitraryBytesToReadFrameGiveAMessageEofOrAProtocolException(@ForAll("frameLikeBytes") byte[] input) {
    try {
      FrameCodec.readFrame(new ByteArrayInputStream(input));
    } catch (ProtocolException | EOFException expected) {
      // typed rejection, or the stream ended inside a frame
    } catch (Throwable t) {
      fail("readFrame threw " + t, t);
    }
  }

  @Property(tries = 1000)
  void arbitraryBytesToTheNettyDecodersOnlyRaiseProtocolExceptions(
      @ForAll("frameLikeBytes") byte[] input, @ForAll @IntRange(min = 1, max = 40) int chunk) {
    EmbeddedChannel ch = new EmbeddedChannel(new ControlFrameDecoder(), new ControlMessageDecoder());
    java.util.List<ByteBuf> inputs = new java.util.ArrayList<>();
    try {
      for (int off = 0; off < input.length; off += chunk) {
        ByteBuf b = ByteBufAllocator.DEFAULT.buffer().writeBytes(input, off, Math.min(chunk, input.length - off));
        inputs.add(b);
        try {
          ch.writeInbound(b);
        } catch (DecoderException e) {
          if (!(e.getCause() instanceof ProtocolException)) {
            fail("decoder raised " + e.getCause(), e);
          }
        }
      }
      for (Object m; (m = ch.readInbound()) != null; ) {
        assertTrue(m instanceof ControlMessage, "only messages come out: " + m);
      }
    } finally {
      ch.finishAndReleaseAll();
    }
    for (ByteBuf b : inputs) {
      assertEquals(0, b.refCnt(), "every input buffer is released");
    }
  }

  @Property(tries = 500)
  void anyDeclaredLengthAboveTheLimitIsRejectedFromTheHeaderAlone(
      @ForAll @LongRange(min = FrameCodec.MAX_FRAME_LENGTH + 1L, max = 0xFFFF_FFFFL) long declared) {
    byte[] header = new byte[4];
    LittleEndian.putU32(header, 0, declared);
    try {
      FrameCodec.decode(header, 0, 4);
      fail("accepted a declared length of " + declared);
    } catch (FrameTooLongException e) {
      assertEquals(declared, e.length());
    } catch (ProtocolException e) {
      fail(e);
    }
    FrameCodecTest.CountingInputStream in =
        new FrameCodecTest.CountingInputStream(new ByteArrayInputStream(FrameCodecTest.concat(header, new byte[64])));
    try {
      FrameCodec.readFrame(in);
      fail("readFrame accepted a declared length of " + declared);
    } catch (FrameTooLongException e) {
      assertEquals(4, in.count, "no body byte was read");
    } catch (Exception e) {
      fail(e);
    }
    EmbeddedChannel ch = new EmbeddedChannel(new ControlFrameDecoder());
    ByteBuf b = ByteBufAllocator.DEFAULT.buffer(4).writeBytes(header);
    try {
      ch.writeInbound(b);
      fail("the Netty decoder accepted a declared length of " + declared);
    } catch (DecoderException e) {
      assertTrue(e.getCause() instanceof FrameTooLongException, String.valueOf(e.getCause()));
    }
    assertNull(ch.readInbound());
    assertFalse(ch.finishAndReleaseAll());
    assertEquals(0, b.refCnt());
  }
}
