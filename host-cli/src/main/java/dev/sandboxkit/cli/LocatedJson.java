package dev.sandboxkit.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A JSON document as a tree plus the line/column of every key, so shape errors can say where they
 * are (as serde_json does). Rejects syntax errors, trailing content and duplicate keys.
 */
record LocatedJson(JsonNode root, Map<String, JsonLocation> keyLocations) {
  private static final JsonFactory FACTORY =
      JsonFactory.builder().disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION).build();
  private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

  static LocatedJson parse(String text) throws ConfigException {
    Map<String, JsonLocation> where = new HashMap<>();
    try (JsonParser p = FACTORY.createParser(text)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw new ConfigException("Invalid JSON syntax: the document is empty");
      }
      if (first != JsonToken.START_OBJECT) {
        throw new ConfigException(
            "Invalid configuration: invalid type: " + Describe.token(first)
                + ", expected a configuration object" + at(p.currentTokenLocation()),
            "the request must be one JSON object, e.g. {\"containment\":\"windows_sandbox\","
                + "\"process\":{\"commandLine\":\"echo hi\"}}");
      }
      Deque<Frame> stack = new ArrayDeque<>();
      JsonToken t = first;
      while (true) {
        switch (t) {
          case START_OBJECT, START_ARRAY ->
              stack.push(new Frame(stack.isEmpty() ? "" : stack.peek().childPath(),
                  t == JsonToken.START_ARRAY));
          case END_OBJECT, END_ARRAY -> {
            stack.pop();
            if (!stack.isEmpty()) {
              stack.peek().valueDone();
            }
          }
          case FIELD_NAME -> {
            Frame f = stack.peek();
            String name = p.currentName();
            String path = f.path.isEmpty() ? name : f.path + "." + name;
            JsonLocation loc = p.currentTokenLocation();
            if (!f.names.add(name)) {
              throw new ConfigException("Invalid configuration at `" + Text.escape(path)
                  + "`: duplicate field `" + Text.escape(name) + "`" + at(loc),
                  "remove one of the two `" + Text.escape(name) + "` keys");
            }
            where.putIfAbsent(path, loc);
            f.pendingName = name;
          }
          default -> stack.peek().valueDone();
        }
        if (stack.isEmpty()) {
          break;
        }
        t = p.nextToken();
        if (t == null) {
          throw new ConfigException(
              "Invalid JSON syntax: EOF while parsing an object" + at(p.currentLocation()),
              "complete the JSON object");
        }
      }
      JsonToken trailing = p.nextToken();
      if (trailing != null) {
        throw new ConfigException(
            "Invalid JSON syntax: trailing characters after the configuration object"
                + at(p.currentTokenLocation()),
            "remove what follows the closing brace");
      }
    } catch (JsonProcessingException e) {
      throw new ConfigException(
          "Invalid JSON syntax: " + Text.escape(e.getOriginalMessage()) + at(e.getLocation()),
          "fix the JSON syntax at that position");
    } catch (IOException e) {
      throw new ConfigException("Invalid JSON syntax: " + Text.escape(String.valueOf(e.getMessage())));
    }
    try {
      return new LocatedJson(MAPPER.readTree(text), Map.copyOf(where));
    } catch (JsonProcessingException e) {
      throw new ConfigException(
          "Invalid JSON syntax: " + Text.escape(e.getOriginalMessage()) + at(e.getLocation()));
    }
  }

  /** " at line L column C" for the key at {@code path} (or its nearest located ancestor). */
  String at(String path) {
    String p = path;
    while (true) {
      JsonLocation loc = keyLocations.get(p);
      if (loc != null) {
        return at(loc);
      }
      int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
      if (cut <= 0) {
        return "";
      }
      p = p.substring(0, cut);
    }
  }

  Optional<JsonLocation> location(String path) {
    return Optional.ofNullable(keyLocations.get(path));
  }

  private static String at(JsonLocation loc) {
    if (loc == null || loc.getLineNr() <= 0) {
      return "";
    }
    return " at line " + loc.getLineNr() + " column " + loc.getColumnNr();
  }

  /** One open object or array while scanning. */
  private static final class Frame {
    final String path;
    final boolean array;
    final Set<String> names = new HashSet<>();
    String pendingName;
    int index;

    Frame(String path, boolean array) {
      this.path = path;
      this.array = array;
    }

    String childPath() {
      String child;
      if (array) {
        child = path + "[" + index + "]";
      } else {
        child = path.isEmpty() ? pendingName : path + "." + pendingName;
      }
      return child;
    }

    void valueDone() {
      if (array) {
        index++;
      }
    }
  }
}
