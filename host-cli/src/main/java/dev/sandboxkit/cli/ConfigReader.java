package dev.sandboxkit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

/** Typed, path-aware reads from a {@link LocatedJson}, with serde-style error messages. */
final class ConfigReader {
  static final long U32_MAX = 0xFFFF_FFFFL;

  private final LocatedJson doc;

  ConfigReader(LocatedJson doc) {
    this.doc = doc;
  }

  ObjectNode root() {
    return (ObjectNode) doc.root();
  }

  /** {@code Invalid configuration at `path`: msg at line L column C}. */
  ConfigException error(String path, String msg) {
    return new ConfigException("Invalid configuration at `" + Text.escape(path) + "`: " + msg + doc.at(path));
  }

  ConfigException error(String path, String msg, String hint) {
    return new ConfigException(
        "Invalid configuration at `" + Text.escape(path) + "`: " + msg + doc.at(path), hint);
  }

  /** Rejects keys of {@code node} outside {@code allowed} (a closed, "stable" section). */
  void allowOnly(ObjectNode node, String path, List<String> allowed) throws ConfigException {
    Set<String> set = Set.copyOf(allowed);
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!set.contains(name)) {
        String expected = allowed.stream().map(k -> "`" + k + "`").collect(Collectors.joining(", "));
        throw error(join(path, name),
            "unknown field `" + Text.escape(name) + "`, expected one of " + expected,
            "remove `" + Text.escape(name) + "` or fix its spelling (keys are case-sensitive camelCase)");
      }
    }
  }

  /** The object at {@code key}, empty when absent or null; an error when not an object. */
  Optional<ObjectNode> object(ObjectNode parent, String parentPath, String key) throws ConfigException {
    JsonNode n = parent.get(key);
    if (n == null || n.isNull()) {
      return Optional.empty();
    }
    String path = join(parentPath, key);
    if (!n.isObject()) {
      throw invalidType(path, n, "struct " + key);
    }
    return Optional.of((ObjectNode) n);
  }

  Optional<String> string(ObjectNode parent, String parentPath, String key) throws ConfigException {
    JsonNode n = parent.get(key);
    if (n == null || n.isNull()) {
      return Optional.empty();
    }
    if (!n.isTextual()) {
      throw invalidType(join(parentPath, key), n, "a string");
    }
    return Optional.of(n.asText());
  }

  Optional<Boolean> bool(ObjectNode parent, String parentPath, String key) throws ConfigException {
    JsonNode n = parent.get(key);
    if (n == null || n.isNull()) {
      return Optional.empty();
    }
    if (!n.isBoolean()) {
      throw invalidType(join(parentPath, key), n, "a boolean");
    }
    return Optional.of(n.asBoolean());
  }

  /** An unsigned 32-bit integer (0..4294967295). */
  OptionalLong u32(ObjectNode parent, String parentPath, String key) throws ConfigException {
    JsonNode n = parent.get(key);
    if (n == null || n.isNull()) {
      return OptionalLong.empty();
    }
    String path = join(parentPath, key);
    if (!n.isIntegralNumber()) {
      throw invalidType(path, n, "u32");
    }
    if (!n.canConvertToLong() || n.asLong() < 0 || n.asLong() > U32_MAX) {
      throw error(path, "invalid value: integer `" + n.asText() + "`, expected u32",
          "use a whole number of milliseconds from 0 (no timeout) to " + U32_MAX);
    }
    return OptionalLong.of(n.asLong());
  }

  /** An enum given as a string, one of {@code variants}. */
  Optional<String> variant(ObjectNode parent, String parentPath, String key, List<String> variants)
      throws ConfigException {
    Optional<String> v = string(parent, parentPath, key);
    if (v.isPresent() && !variants.contains(v.get())) {
      String expected = variants.stream().map(k -> "`" + k + "`").collect(Collectors.joining(", "));
      throw error(join(parentPath, key),
          "unknown variant `" + Text.escape(v.get()) + "`, expected one of " + expected);
    }
    return v;
  }

  /** An array of strings; empty when absent or null. */
  List<String> strings(ObjectNode parent, String parentPath, String key) throws ConfigException {
    JsonNode n = parent.get(key);
    if (n == null || n.isNull()) {
      return List.of();
    }
    String path = join(parentPath, key);
    if (!n.isArray()) {
      throw invalidType(path, n, "a sequence");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n.size(); i++) {
      JsonNode e = n.get(i);
      if (!e.isTextual()) {
        throw invalidType(path + "[" + i + "]", e, "a string");
      }
      out.add(e.asText());
    }
    return out;
  }

  ConfigException invalidType(String path, JsonNode n, String expected) {
    return error(path, "invalid type: " + Describe.value(n, Text.secretLike(path)) + ", expected " + expected);
  }

  static String join(String parent, String key) {
    return parent.isEmpty() ? key : parent + "." + key;
  }
}
