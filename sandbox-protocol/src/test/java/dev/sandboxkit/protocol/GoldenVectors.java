package dev.sandboxkit.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** control-vectors.json from the test classpath, plus the message each golden frame stands for. */
final class GoldenVectors {
  /** A golden frame: its name, its JSON text and its exact bytes. */
  record Frame(String name, String json, byte[] frame) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** A hex vector of the must_reject or incomplete lists. */
  record Vector(String name, byte[] bytes, String why) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** The message each golden frame encodes (the JSON is checked against these in the tests). */
  static final Map<String, ControlMessage> EXPECTED =
      Map.of(
          "ready", ControlMessage.READY,
          "streams_ready", ControlMessage.STREAMS_READY,
          "ping", ControlMessage.PING,
          "pong", ControlMessage.PONG,
          "exec_basic",
              new ControlMessage.Exec("abc-123", "python -c \"print('hello')\"", "C:\\temp", 30000),
          "exec_empty", new ControlMessage.Exec("x", "echo hi", "", 0),
          "exec_unicode",
              new ControlMessage.Exec(
                  "u-1", "echo h\u00e9llo \u2192 \u4e16\u754c", "C:\\Users\\Zo\u00eb", 4294967295L),
          "exit_ok", new ControlMessage.Exit("abc-123", 42, ""),
          "exit_error", new ControlMessage.Exit("err-1", -1, "spawn failed: file not found"));

  static final JsonNode ROOT = load();

  private GoldenVectors() {}

  private static JsonNode load() {
    try (InputStream in = GoldenVectors.class.getResourceAsStream("/control-vectors.json")) {
      if (in == null) {
        throw new IllegalStateException("control-vectors.json is not on the test classpath");
      }
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }

  static List<Frame> frames() {
    List<Frame> out = new ArrayList<>();
    for (JsonNode f : ROOT.get("frames")) {
      out.add(new Frame(f.get("name").asText(), f.get("json").asText(), hex(f.get("frame_hex").asText())));
    }
    return out;
  }

  static List<Vector> mustReject() {
    return vectors("must_reject");
  }

  static List<Vector> incomplete() {
    return vectors("incomplete");
  }

  static Vector mustReject(String name) {
    return mustReject().stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
  }

  private static List<Vector> vectors(String list) {
    List<Vector> out = new ArrayList<>();
    for (JsonNode v : ROOT.get(list)) {
      out.add(new Vector(v.get("name").asText(), hex(v.get("hex").asText()), v.get("why").asText()));
    }
    return out;
  }

  /** Every golden frame back to back, in file order. */
  static byte[] allFramesConcatenated() {
    List<Frame> frames = frames();
    int n = frames.stream().mapToInt(f -> f.frame().length).sum();
    byte[] all = new byte[n];
    int off = 0;
    for (Frame f : frames) {
      System.arraycopy(f.frame(), 0, all, off, f.frame().length);
      off += f.frame().length;
    }
    return all;
  }

  static ControlMessage expected(Frame f) {
    ControlMessage m = EXPECTED.get(f.name());
    if (m == null) {
      throw new IllegalStateException("no expected message for golden frame " + f.name());
    }
    return m;
  }
}
