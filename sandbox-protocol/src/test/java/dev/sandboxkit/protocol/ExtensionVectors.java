package dev.sandboxkit.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** extension-vectors.json: golden frames of the negotiated extensions (capabilities, env, Cancel). */
final class ExtensionVectors {
  /** An input that decodes to the message of another (mxc) golden frame. */
  record DecodeOnly(String name, byte[] bytes, String sameAs) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** A frame that must be rejected as malformed, with a piece of the expected message. */
  record Reject(String name, byte[] bytes, String why, String messageContains) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final Map<String, ControlMessage> EXPECTED = expected();

  static final JsonNode ROOT = load();

  private ExtensionVectors() {}

  private static Map<String, ControlMessage> expected() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("GREETING", "h\u00e9llo w\u00f6rld \u4e16\u754c");
    env.put("LINES", "a\nb\tc");
    env.put("EQ", "x=y=z");
    env.put("PATH", "/opt/bin:/usr/bin");
    env.put("EMPTY", "");
    return Map.of(
        "ready_capabilities", new ControlMessage.Ready(List.of(Capabilities.CANCEL, Capabilities.ENV)),
        "ready_unknown_capability", new ControlMessage.Ready(List.of("cancel", "env", "tunnel")),
        "exec_env", new ControlMessage.Exec("env-1", "printenv GREETING", "/tmp", 1000, env),
        "exec_env_one", new ControlMessage.Exec("x", "echo $K", "", 0, Map.of("K", "V")),
        "cancel", new ControlMessage.Cancel("abc-123"));
  }

  private static JsonNode load() {
    try (InputStream in = ExtensionVectors.class.getResourceAsStream("/extension-vectors.json")) {
      if (in == null) {
        throw new IllegalStateException("extension-vectors.json is not on the test classpath");
      }
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<GoldenVectors.Frame> frames() {
    List<GoldenVectors.Frame> out = new ArrayList<>();
    for (JsonNode f : ROOT.get("frames")) {
      out.add(new GoldenVectors.Frame(
          f.get("name").asText(), f.get("json").asText(), GoldenVectors.hex(f.get("frame_hex").asText())));
    }
    return out;
  }

  static List<DecodeOnly> decodeOnly() {
    List<DecodeOnly> out = new ArrayList<>();
    for (JsonNode v : ROOT.get("decode_only")) {
      out.add(new DecodeOnly(v.get("name").asText(), GoldenVectors.hex(v.get("hex").asText()), v.get("same_as").asText()));
    }
    return out;
  }

  static List<Reject> mustReject() {
    List<Reject> out = new ArrayList<>();
    for (JsonNode v : ROOT.get("must_reject")) {
      out.add(new Reject(v.get("name").asText(), GoldenVectors.hex(v.get("hex").asText()), v.get("why").asText(),
          v.get("message_contains").asText()));
    }
    return out;
  }

  /** The message of a frame of this file or of control-vectors.json. */
  static ControlMessage expected(String name) {
    ControlMessage m = EXPECTED.containsKey(name) ? EXPECTED.get(name) : GoldenVectors.EXPECTED.get(name);
    if (m == null) {
      throw new IllegalStateException("no expected message for golden frame " + name);
    }
    return m;
  }
}
