package dev.sandboxkit.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The JSON body of a control frame, exactly as mxc's serde form.
 *
 * <p>Encoding is compact with the {@code type} tag first and the fields in declaration order, and
 * escapes strings as serde_json does (only {@code "}, {@code \\} and control characters; other
 * characters as raw UTF-8). A lone surrogate, which Rust strings cannot hold, is written as a
 * {@code \\uXXXX} escape.
 *
 * <p>Decoding accepts any field order and whitespace, ignores unknown fields, and rejects missing
 * fields, wrong field types, duplicate keys, trailing data, unknown types and {@code timeout_ms}
 * outside the unsigned 32-bit range.
 */
public final class ControlJson {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          // Byte-exact with serde_json: control characters as lower-case hex escapes, and
          // characters outside the BMP as raw 4-byte UTF-8 rather than escaped surrogate pairs.
          .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
          .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
          .build();
  private static final JsonFactory FACTORY = MAPPER.getFactory();

  private ControlJson() {}

  /** Compact UTF-8 JSON for {@code message}. */
  public static byte[] toJson(ControlMessage message) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("type", message.type());
      if (message instanceof ControlMessage.Exec e) {
        g.writeStringField("exec_id", e.execId());
        g.writeStringField("script_code", e.scriptCode());
        g.writeStringField("working_directory", e.workingDirectory());
        g.writeNumberField("timeout_ms", e.timeoutMs());
      } else if (message instanceof ControlMessage.Exit e) {
        g.writeStringField("exec_id", e.execId());
        g.writeNumberField("exit_code", e.exitCode());
        g.writeStringField("error_message", e.errorMessage());
      }
      // Ready, StreamsReady, Ping and Pong carry only the tag.
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to memory cannot fail", e);
    }
    return out.toByteArray();
  }

  /** Parses one control message from a complete JSON body. */
  public static ControlMessage fromJson(byte[] json) throws MalformedFrameException {
    return fromJson(json, 0, json.length);
  }

  /** Parses one control message from {@code len} bytes of JSON at {@code off}. */
  public static ControlMessage fromJson(byte[] json, int off, int len) throws MalformedFrameException {
    JsonNode root;
    try (JsonParser p = FACTORY.createParser(json, off, len)) {
      root = MAPPER.readTree(p);
    } catch (IOException e) {
      throw new MalformedFrameException("control frame is not valid JSON: " + firstLine(e), e);
    }
    if (root == null || !root.isObject()) {
      throw new MalformedFrameException("control frame must be a JSON object");
    }
    String type = text(root, "type");
    return switch (type) {
      case "Ready" -> ControlMessage.READY;
      case "StreamsReady" -> ControlMessage.STREAMS_READY;
      case "Ping" -> ControlMessage.PING;
      case "Pong" -> ControlMessage.PONG;
      case "Exec" ->
          new ControlMessage.Exec(
              text(root, "exec_id"),
              text(root, "script_code"),
              text(root, "working_directory"),
              timeoutMs(root));
      case "Exit" ->
          new ControlMessage.Exit(text(root, "exec_id"), exitCode(root), text(root, "error_message"));
      default -> throw new MalformedFrameException("unknown control message type \"" + clip(type) + "\"");
    };
  }

  private static JsonNode required(JsonNode root, String field) throws MalformedFrameException {
    JsonNode n = root.get(field);
    if (n == null) {
      throw new MalformedFrameException("missing field `" + field + "`");
    }
    return n;
  }

  private static String text(JsonNode root, String field) throws MalformedFrameException {
    JsonNode n = required(root, field);
    if (!n.isTextual()) {
      throw new MalformedFrameException("field `" + field + "` must be a string");
    }
    return n.textValue();
  }

  private static long timeoutMs(JsonNode root) throws MalformedFrameException {
    JsonNode n = required(root, "timeout_ms");
    if (!n.isIntegralNumber() || !n.canConvertToLong()) {
      throw new MalformedFrameException("field `timeout_ms` must be an unsigned 32-bit integer");
    }
    long v = n.longValue();
    if (v < 0 || v > ControlMessage.MAX_TIMEOUT_MS) {
      throw new MalformedFrameException(
          "field `timeout_ms` is " + v + ", outside 0.." + ControlMessage.MAX_TIMEOUT_MS);
    }
    return v;
  }

  private static int exitCode(JsonNode root) throws MalformedFrameException {
    JsonNode n = required(root, "exit_code");
    if (!n.isIntegralNumber() || !n.canConvertToInt()) {
      throw new MalformedFrameException("field `exit_code` must be a signed 32-bit integer");
    }
    return n.intValue();
  }

  private static String clip(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "...";
  }

  private static String firstLine(IOException e) {
    String m =
        String.valueOf(
            e instanceof com.fasterxml.jackson.core.JsonProcessingException j
                ? j.getOriginalMessage()
                : e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
