package dev.sandboxkit.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

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
 *
 * <p>Only jackson-core's streaming API is used (no databind): the guest agent loads this class on
 * its start-up path, and a smaller jar starts faster.
 */
public final class ControlJson {
  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          // Byte-exact with serde_json: control characters as lower-case hex escapes, and
          // characters outside the BMP as raw 4-byte UTF-8 rather than escaped surrogate pairs.
          .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
          .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
          .build();

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
    Map<String, Value> fields = readMembers(json, off, len);
    String type = text(fields, "type");
    return switch (type) {
      case "Ready" -> ControlMessage.READY;
      case "StreamsReady" -> ControlMessage.STREAMS_READY;
      case "Ping" -> ControlMessage.PING;
      case "Pong" -> ControlMessage.PONG;
      case "Exec" ->
          new ControlMessage.Exec(
              text(fields, "exec_id"),
              text(fields, "script_code"),
              text(fields, "working_directory"),
              timeoutMs(fields));
      case "Exit" ->
          new ControlMessage.Exit(
              text(fields, "exec_id"), exitCode(fields), text(fields, "error_message"));
      default -> throw new MalformedFrameException("unknown control message type \"" + clip(type) + "\"");
    };
  }

  /** A top-level member: its token, and its text or integral value when it has one. */
  private record Value(JsonToken token, String text, Long integral) {}

  /**
   * Reads one JSON object, keeping its top-level members; nested values are skipped (they are never
   * valid for a known field). Rejects non-objects, duplicate keys, malformed JSON and trailing data.
   */
  private static Map<String, Value> readMembers(byte[] json, int off, int len)
      throws MalformedFrameException {
    Map<String, Value> fields = new HashMap<>();
    try (JsonParser p = FACTORY.createParser(json, off, len)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new MalformedFrameException("control frame must be a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
          p.skipChildren();
          fields.put(name, new Value(t, null, null));
        } else if (t == JsonToken.VALUE_STRING) {
          fields.put(name, new Value(t, p.getText(), null));
        } else if (t == JsonToken.VALUE_NUMBER_INT) {
          boolean fitsLong = p.getNumberType() != JsonParser.NumberType.BIG_INTEGER;
          fields.put(name, new Value(t, p.getText(), fitsLong ? p.getLongValue() : null));
        } else {
          fields.put(name, new Value(t, null, null));
        }
      }
      if (p.nextToken() != null) {
        throw new MalformedFrameException("control frame has data after the JSON object");
      }
    } catch (MalformedFrameException e) {
      throw e;
    } catch (IOException e) {
      throw new MalformedFrameException("control frame is not valid JSON: " + firstLine(e), e);
    }
    return fields;
  }

  private static Value required(Map<String, Value> fields, String field)
      throws MalformedFrameException {
    Value v = fields.get(field);
    if (v == null) {
      throw new MalformedFrameException("missing field `" + field + "`");
    }
    return v;
  }

  private static String text(Map<String, Value> fields, String field)
      throws MalformedFrameException {
    Value v = required(fields, field);
    if (v.token() != JsonToken.VALUE_STRING) {
      throw new MalformedFrameException("field `" + field + "` must be a string");
    }
    return v.text();
  }

  private static long timeoutMs(Map<String, Value> fields) throws MalformedFrameException {
    Value v = required(fields, "timeout_ms");
    if (v.token() != JsonToken.VALUE_NUMBER_INT) {
      throw new MalformedFrameException("field `timeout_ms` must be an unsigned 32-bit integer");
    }
    Long n = v.integral();
    if (n == null || n < 0 || n > ControlMessage.MAX_TIMEOUT_MS) {
      throw new MalformedFrameException(
          "field `timeout_ms` is " + clip(v.text()) + ", outside 0.." + ControlMessage.MAX_TIMEOUT_MS);
    }
    return n;
  }

  private static int exitCode(Map<String, Value> fields) throws MalformedFrameException {
    Value v = required(fields, "exit_code");
    Long n = v.integral();
    if (v.token() != JsonToken.VALUE_NUMBER_INT
        || n == null
        || n < Integer.MIN_VALUE
        || n > Integer.MAX_VALUE) {
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
            e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
