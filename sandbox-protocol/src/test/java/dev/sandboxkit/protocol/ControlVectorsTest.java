package dev.sandboxkit.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every vector of control-vectors.json against the pure codec, the JSON layer and the preamble. */
class ControlVectorsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static List<GoldenVectors.Frame> frames() {
    return GoldenVectors.frames();
  }

  static List<GoldenVectors.Vector> mustReject() {
    return GoldenVectors.mustReject();
  }

  static List<GoldenVectors.Vector> incomplete() {
    return GoldenVectors.incomplete();
  }

  @Test
  void everyGoldenFrameHasAnExpectedMessage() {
    assertEquals(GoldenVectors.EXPECTED.size(), frames().size());
    for (GoldenVectors.Frame f : frames()) {
      GoldenVectors.expected(f);
    }
  }

  @Test
  void constantsMatchTheVectorFile() throws Exception {
    assertEquals(FrameCodec.MAX_FRAME_LENGTH, GoldenVectors.ROOT.get("max_frame_len").asInt());
    byte[] preamble = GoldenVectors.hex(GoldenVectors.ROOT.get("preamble_hex").asText());
    assertArrayEquals(preamble, Preamble.bytes());
    assertEquals(Preamble.LENGTH, preamble.length);
    assertEquals(1, Preamble.validate(preamble));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("frames")
  void encodesToExactlyTheGoldenBytes(GoldenVectors.Frame f) throws Exception {
    ControlMessage m = GoldenVectors.expected(f);
    assertArrayEquals(f.json().getBytes(StandardCharsets.UTF_8), ControlJson.toJson(m));
    assertArrayEquals(f.frame(), FrameCodec.encode(m));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("frames")
  void decodesBackToTheMessage(GoldenVectors.Frame f) throws Exception {
    DecodeResult r = FrameCodec.decode(f.frame(), 0, f.frame().length);
    assertEquals(new DecodeResult.Decoded(GoldenVectors.expected(f), f.frame().length), r);
    assertEquals(GoldenVectors.expected(f), ControlJson.fromJson(f.json().getBytes(StandardCharsets.UTF_8)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("frames")
  void decodesReorderedSpacedAndExtendedJsonTheSame(GoldenVectors.Frame f) throws Exception {
    ControlMessage expected = GoldenVectors.expected(f);
    for (String variant : variants(f.json())) {
      byte[] body = variant.getBytes(StandardCharsets.UTF_8);
      assertEquals(expected, ControlJson.fromJson(body), variant);
      byte[] frame = frame(body);
      assertEquals(new DecodeResult.Decoded(expected, frame.length), FrameCodec.decode(frame, 0, frame.length), variant);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mustReject")
  void everyMustRejectVectorIsRejectedWithItsType(GoldenVectors.Vector v) {
    switch (v.name()) {
      case "frame_too_large" -> {
        FrameTooLongException e =
            assertThrows(FrameTooLongException.class, () -> FrameCodec.decode(v.bytes(), 0, v.bytes().length));
        assertEquals(16_777_217L, e.length());
        assertTrue(e.getMessage().contains("16777217") && e.getMessage().contains("16777216"), e.getMessage());
      }
      case "unknown_type" -> assertMalformed(v, "Reboot");
      case "missing_field" -> assertMalformed(v, "script_code");
      case "not_json" -> assertMalformed(v, "not valid JSON");
      case "negative_timeout" -> assertMalformed(v, "timeout_ms");
      case "timeout_overflow" -> assertMalformed(v, "4294967296");
      case "bad_preamble_magic" -> {
        BadPreambleException e = assertThrows(BadPreambleException.class, () -> Preamble.validate(v.bytes()));
        assertEquals(BadPreambleException.Kind.BAD_MAGIC, e.kind());
        assertTrue(e.getMessage().contains("57534258"), "received bytes in: " + e.getMessage());
        assertTrue(e.getMessage().contains("57534250"), "expected bytes in: " + e.getMessage());
      }
      case "bad_preamble_version" -> {
        BadPreambleException e = assertThrows(BadPreambleException.class, () -> Preamble.validate(v.bytes()));
        assertEquals(BadPreambleException.Kind.VERSION_MISMATCH, e.kind());
        assertTrue(e.getMessage().contains("expected 1"), e.getMessage());
        assertTrue(e.getMessage().contains("got 2"), e.getMessage());
      }
      default -> fail("no expectation for must_reject vector " + v.name() + " (" + v.why() + ")");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("incomplete")
  void everyIncompleteVectorReportsIncomplete(GoldenVectors.Vector v) throws Exception {
    assertEquals(DecodeResult.INCOMPLETE, FrameCodec.decode(v.bytes(), 0, v.bytes().length));
  }

  private static void assertMalformed(GoldenVectors.Vector v, String inMessage) {
    MalformedFrameException e =
        assertThrows(MalformedFrameException.class, () -> FrameCodec.decode(v.bytes(), 0, v.bytes().length));
    assertTrue(e.getMessage().contains(inMessage), v.name() + ": " + e.getMessage());
  }

  static byte[] frame(byte[] body) {
    byte[] frame = new byte[4 + body.length];
    LittleEndian.putU32(frame, 0, body.length);
    System.arraycopy(body, 0, frame, 4, body.length);
    return frame;
  }

  /** The same object with fields reversed, with whitespace everywhere, and with unknown fields. */
  static List<String> variants(String json) throws Exception {
    ObjectNode obj = (ObjectNode) JSON.readTree(json);
    List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
      fields.add(it.next());
    }
    ObjectNode reversed = JSON.createObjectNode();
    for (int i = fields.size() - 1; i >= 0; i--) {
      reversed.set(fields.get(i).getKey(), fields.get(i).getValue());
    }
    ObjectNode extended = JSON.createObjectNode();
    extended.put("zz_first", "unknown");
    extended.putArray("list").add(1).add("two").addObject().put("type", "Exec");
    for (Map.Entry<String, JsonNode> e : fields) {
      extended.set(e.getKey(), e.getValue());
      extended.putNull("after_" + e.getKey());
    }
    extended.putObject("nested").put("exec_id", 7).put("timeout_ms", -1);
    extended.put("big", 1e300);
    List<String> out = new ArrayList<>();
    out.add(JSON.writeValueAsString(reversed));
    out.add(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(obj));
    out.add(spaced(JSON.writeValueAsString(reversed)));
    out.add(JSON.writeValueAsString(extended));
    out.add(spaced(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(extended)));
    return out;
  }

  /** Inserts insignificant whitespace around every structural character outside strings. */
  private static String spaced(String json) {
    StringBuilder b = new StringBuilder(" \r\n\t");
    boolean inString = false;
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      if (inString) {
        b.append(c);
        if (c == '\\') {
          b.append(json.charAt(++i));
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
        b.append(c);
      } else if ("{}[]:,".indexOf(c) >= 0) {
        b.append(" \n").append(c).append("\t ");
      } else {
        b.append(c);
      }
    }
    return b.append("\n \r\n").toString();
  }
}
