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
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
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
 * <p>The extension fields ({@code Ready.capabilities}, an array of strings, and {@code Exec.env}, an
 * object of string values) are written only when non-empty, after mxc's fields; absent or {@code
 * null} they decode as empty. An environment variable whose name is empty or holds {@code =} or NUL,
 * or whose value holds NUL, makes the frame malformed.
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
        if (!e.env().isEmpty()) {
          g.writeObjectFieldStart("env");
          for (Map.Entry<String, String> v : e.env().entrySet()) {
            g.writeStringField(v.getKey(), v.getValue());
          }
          g.writeEndObject();
        }
      } else if (message instanceof ControlMessage.Ready r) {
        if (!r.capabilities().isEmpty()) {
          g.writeArrayFieldStart("capabilities");
          for (String c : r.capabilities()) {
            g.writeString(c);
          }
          g.writeEndArray();
        }
      } else if (message instanceof ControlMessage.Cancel c) {
        g.writeStringField("exec_id", c.execId());
      } else if (message instanceof ControlMessage.Exit e) {
        g.writeStringField("exec_id", e.execId());
        g.writeNumberField("exit_code", e.exitCode());
        g.writeStringField("error_message", e.errorMessage());
      }
      // StreamsReady, Ping and Pong carry only the tag (and so does a Ready without capabilities).
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
      case "Ready" -> ready(fields);
      case "StreamsReady" -> ControlMessage.STREAMS_READY;
      case "Ping" -> ControlMessage.PING;
      case "Pong" -> ControlMessage.PONG;
      case "Exec" ->
          new ControlMessage.Exec(
              text(fields, "exec_id"),
              text(fields, "script_code"),
              text(fields, "working_directory"),
              timeoutMs(fields),
              env(fields));
      case "Cancel" -> new ControlMessage.Cancel(text(fields, "exec_id"));
      case "Exit" ->
          new ControlMessage.Exit(
              text(fields, "exec_id"), exitCode(fields), text(fields, "error_message"));
      default -> throw new MalformedFrameException("unknown control message type \"" + clip(type) + "\"");
    };
  }

  /**
   * A top-level member: its token, and its text or integral value when it has one. An array of
   * strings keeps them in {@code strings}, an object of string values in {@code strings} too (name,
   * value, name, value, ...); any other array or object has {@code strings == null}.
   */
  private record Value(JsonToken token, String text, Long integral, List<String> strings) {
    Value(JsonToken token, String text, Long integral) {
      this(token, text, integral, null);
    }
  }

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
          fields.put(name, new Value(t, null, null, flatStrings(p, t)));
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

  /**
   * Reads the array or object the parser is at up to its end: its strings (an object's as name,
   * value pairs), or null when it holds anything else (the rest is skipped).
   */
  private static List<String> flatStrings(JsonParser p, JsonToken start) throws IOException {
    List<String> out = new ArrayList<>();
    JsonToken end = start == JsonToken.START_ARRAY ? JsonToken.END_ARRAY : JsonToken.END_OBJECT;
    JsonToken t;
    while ((t = p.nextToken()) != end) {
      if (t == null) {
        throw new IOException("unexpected end of input inside a " + (end == JsonToken.END_ARRAY ? "array" : "object"));
      }
      if (t == JsonToken.FIELD_NAME) {
        out.add(p.currentName());
      } else if (t == JsonToken.VALUE_STRING) {
        out.add(p.getText());
      } else {
        p.skipChildren(); // no-op for a scalar
        while (p.nextToken() != end) {
          p.skipChildren();
        }
        return null;
      }
    }
    return out;
  }

  private static ControlMessage.Ready ready(Map<String, Value> fields) throws MalformedFrameException {
    Value v = fields.get("capabilities");
    if (v == null || v.token() == JsonToken.VALUE_NULL) {
      return ControlMessage.READY;
    }
    if (v.token() != JsonToken.START_ARRAY || v.strings() == null) {
      throw new MalformedFrameException("field `capabilities` must be an array of strings");
    }
    return v.strings().isEmpty() ? ControlMessage.READY : new ControlMessage.Ready(v.strings());
  }

  private static Map<String, String> env(Map<String, Value> fields) throws MalformedFrameException {
    Value v = fields.get("env");
    if (v == null || v.token() == JsonToken.VALUE_NULL) {
      return Map.of();
    }
    if (v.token() != JsonToken.START_OBJECT || v.strings() == null) {
      throw new MalformedFrameException("field `env` must be an object of string values");
    }
    List<String> pairs = v.strings();
    Map<String, String> env = new LinkedHashMap<>();
    for (int i = 0; i < pairs.size(); i += 2) {
      String problem = ControlMessage.Exec.envProblem(pairs.get(i), pairs.get(i + 1));
      if (problem != null) {
        throw new MalformedFrameException("field `env`: environment variable #" + (i / 2 + 1) + " " + problem);
      }
      env.put(pairs.get(i), pairs.get(i + 1));
    }
    return Collections.unmodifiableMap(env);
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
