package dev.sandboxkit.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The JSON layer beyond the golden vectors: serde-exact escaping and every rejection rule. */
class ControlJsonTest {

  private static ControlMessage parse(String json) throws MalformedFrameException {
    return ControlJson.fromJson(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String reject(String json) {
    return assertThrows(MalformedFrameException.class, () -> parse(json)).getMessage();
  }

  private static String json(ControlMessage m) {
    return new String(ControlJson.toJson(m), StandardCharsets.UTF_8);
  }

  @Test
  void escapesStringsExactlyAsSerdeJson() {
    // serde_json: short escapes for \b \t \n \f \r, lower-case hex escapes for other control characters,
    // raw UTF-8 for everything else (DEL, U+2028 and characters outside the BMP included).
    String s = "\"\\/\b\t\n\f\r\u0000\u0001\u001f\u007f\u2028\ud83d\ude00";
    String expected =
        "{\"type\":\"Exit\",\"exec_id\":\"\",\"exit_code\":0,\"error_message\":"
            + "\"\\\"\\\\/\\b\\t\\n\\f\\r\\u0000\\u0001\\u001f\u007f\u2028\ud83d\ude00\"}";
    assertEquals(expected, json(new ControlMessage.Exit("", 0, s)));
    byte[] utf8 = ControlJson.toJson(new ControlMessage.Exit("", 0, "\ud83d\ude00"));
    String hex = java.util.HexFormat.of().formatHex(utf8);
    assertTrue(hex.contains("f09f9880"), "emoji as raw 4-byte UTF-8: " + hex);
  }

  @Test
  void loneSurrogatesAreEscapedAndRoundTrip() throws Exception {
    for (String s : new String[] {"\ud800", "a\udc00b", "x\ud83d", "\ude00\ud83d"}) {
      ControlMessage m = new ControlMessage.Exit(s, 1, s);
      assertEquals(m, ControlJson.fromJson(ControlJson.toJson(m)));
    }
  }

  @Test
  void timeoutBoundsAndExitCodeBoundsRoundTrip() throws Exception {
    for (long t : new long[] {0, 1, Integer.MAX_VALUE, 0x8000_0000L, 0xFFFF_FFFEL, 0xFFFF_FFFFL}) {
      ControlMessage m = new ControlMessage.Exec("e", "s", "w", t);
      assertTrue(json(m).endsWith("\"timeout_ms\":" + t + "}"), json(m));
      assertEquals(m, ControlJson.fromJson(ControlJson.toJson(m)));
    }
    for (int c : new int[] {Integer.MIN_VALUE, -1, 0, 255, 256, Integer.MAX_VALUE}) {
      ControlMessage m = new ControlMessage.Exit("e", c, "");
      assertTrue(json(m).contains("\"exit_code\":" + c + ","), json(m));
      assertEquals(m, ControlJson.fromJson(ControlJson.toJson(m)));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"exec_id", "script_code", "working_directory", "timeout_ms"})
  void execWithoutAnyOneFieldIsRejectedNamingIt(String missing) {
    StringBuilder b = new StringBuilder("{\"type\":\"Exec\"");
    for (String f : new String[] {"exec_id", "script_code", "working_directory"}) {
      if (!f.equals(missing)) {
        b.append(",\"").append(f).append("\":\"v\"");
      }
    }
    if (!missing.equals("timeout_ms")) {
      b.append(",\"timeout_ms\":1");
    }
    String msg = reject(b.append('}').toString());
    assertTrue(msg.contains("missing field `" + missing + "`"), msg);
  }

  @ParameterizedTest
  @ValueSource(strings = {"exec_id", "exit_code", "error_message"})
  void exitWithoutAnyOneFieldIsRejectedNamingIt(String missing) {
    StringBuilder b = new StringBuilder("{\"type\":\"Exit\"");
    if (!missing.equals("exec_id")) {
      b.append(",\"exec_id\":\"e\"");
    }
    if (!missing.equals("exit_code")) {
      b.append(",\"exit_code\":3");
    }
    if (!missing.equals("error_message")) {
      b.append(",\"error_message\":\"\"");
    }
    String msg = reject(b.append('}').toString());
    assertTrue(msg.contains("missing field `" + missing + "`"), msg);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"type\":\"Exec\",\"exec_id\":1,\"script_code\":\"a\",\"working_directory\":\"\",\"timeout_ms\":1}",
        "{\"type\":\"Exec\",\"exec_id\":\"x\",\"script_code\":null,\"working_directory\":\"\",\"timeout_ms\":1}",
        "{\"type\":\"Exec\",\"exec_id\":\"x\",\"script_code\":\"a\",\"working_directory\":[],\"timeout_ms\":1}",
        "{\"type\":\"Exec\",\"exec_id\":\"x\",\"script_code\":\"a\",\"working_directory\":\"\",\"timeout_ms\":\"1\"}",
        "{\"type\":\"Exec\",\"exec_id\":\"x\",\"script_code\":\"a\",\"working_directory\":\"\",\"timeout_ms\":1.5}",
        "{\"type\":\"Exec\",\"exec_id\":\"x\",\"script_code\":\"a\",\"working_directory\":\"\",\"timeout_ms\":1e3}",
        "{\"type\":\"Exec\",\"exec_id\":\"x\",\"script_code\":\"a\",\"working_directory\":\"\",\"timeout_ms\":99999999999999999999999}",
        "{\"type\":\"Exit\",\"exec_id\":\"x\",\"exit_code\":2147483648,\"error_message\":\"\"}",
        "{\"type\":\"Exit\",\"exec_id\":\"x\",\"exit_code\":-2147483649,\"error_message\":\"\"}",
        "{\"type\":\"Exit\",\"exec_id\":\"x\",\"exit_code\":true,\"error_message\":\"\"}",
        "{\"type\":\"Exit\",\"exec_id\":\"x\",\"exit_code\":0,\"error_message\":{}}",
      })
  void wrongFieldTypesAndRangesAreRejected(String json) {
    String msg = reject(json);
    assertTrue(msg.contains("field `"), msg);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "   ",
        "null",
        "[]",
        "\"Ready\"",
        "42",
        "{}",
        "{\"type\":null}",
        "{\"type\":1}",
        "{\"Type\":\"Ready\"}",
        "{\"type\":\"ready\"}",
        "{\"type\":\"Ready\"} {}",
        "{\"type\":\"Ready\"}x",
        "{\"type\":\"Ready\",\"type\":\"Ping\"}",
        "{\"type\":\"Ready\"",
        "{'type':'Ready'}",
        "{\"type\":\"Ready\",}",
      })
  void nonObjectsUnknownTagsDuplicatesAndTrailingDataAreRejected(String json) {
    reject(json);
  }

  @Test
  void invalidUtf8IsRejected() {
    byte[] body = {'{', '"', 't', 'y', 'p', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
    assertThrows(MalformedFrameException.class, () -> ControlJson.fromJson(body));
  }

  @Test
  void unknownTypeNamesTheTypeClipped() {
    assertTrue(reject("{\"type\":\"Reboot\"}").contains("\"Reboot\""));
    String longType = "T".repeat(500);
    String msg = reject("{\"type\":\"" + longType + "\"}");
    assertFalse(msg.contains(longType), "the message is clipped");
    assertTrue(msg.length() < 200, msg);
  }

  @Test
  void whitespaceAroundTheObjectIsAccepted() throws Exception {
    assertEquals(ControlMessage.PING, parse(" \r\n\t{ \"type\" : \"Ping\" }\n"));
  }

  @Test
  void fromJsonHonoursOffsetAndLength() throws Exception {
    byte[] b = "xx{\"type\":\"Pong\"}yy".getBytes(StandardCharsets.UTF_8);
    assertEquals(ControlMessage.PONG, ControlJson.fromJson(b, 2, b.length - 4));
  }
}
