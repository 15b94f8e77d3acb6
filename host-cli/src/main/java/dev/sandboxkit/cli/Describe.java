package dev.sandboxkit.cli;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;

/** serde_json-style descriptions of JSON values for "invalid type" messages. */
final class Describe {
  private Describe() {}

  static String token(JsonToken t) {
    return switch (t) {
      case START_ARRAY -> "sequence";
      case VALUE_STRING -> "string";
      case VALUE_NUMBER_INT -> "integer";
      case VALUE_NUMBER_FLOAT -> "floating point";
      case VALUE_TRUE, VALUE_FALSE -> "boolean";
      case VALUE_NULL -> "null";
      default -> "map";
    };
  }

  /** e.g. {@code string "abc"}, {@code integer `5`}, {@code map}; the value hidden when secret. */
  static String value(JsonNode n, boolean secret) {
    if (secret && !n.isContainerNode()) {
      return "invalid secret value";
    }
    if (n.isTextual()) {
      String v = n.asText();
      if (v.length() > 80) {
        v = v.substring(0, 80) + "...";
      }
      return "string \"" + Text.escape(v) + "\"";
    }
    if (n.isIntegralNumber()) {
      return "integer `" + n.asText() + "`";
    }
    if (n.isNumber()) {
      return "floating point `" + n.asText() + "`";
    }
    if (n.isBoolean()) {
      return "boolean `" + n.asText() + "`";
    }
    if (n.isNull()) {
      return "null";
    }
    if (n.isArray()) {
      return "sequence";
    }
    return "map";
  }
}
