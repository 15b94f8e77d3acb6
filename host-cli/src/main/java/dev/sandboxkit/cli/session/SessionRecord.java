package dev.sandboxkit.cli.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code <root>/<id>/record.json}: what a session is (schema 1). The policy is fixed when the
 * record is created (mxc: at provision). The secret is not here: it is in the owner-only
 * {@code secret} file beside it, so {@code ls} never handles it.
 *
 * @param id 8 lowercase hex digits
 * @param name the optional unique name
 * @param origin "cli" (start/stop) or "mxc" (state-aware phases)
 * @param driver the driver name
 * @param state the lifecycle state
 * @param createdMs creation time, epoch ms
 * @param readWrite absolute host folders mapped read-write
 * @param readOnly absolute host folders mapped read-only
 * @param deny host paths that stay invisible
 * @param network "block" or "allow"
 * @param idleTimeoutMs the daemon closes the sandbox after this long without an execution; 0 = never
 */
public record SessionRecord(String id, Optional<String> name, String origin, String driver,
    SessionState state, long createdMs, List<String> readWrite, List<String> readOnly,
    List<String> deny, String network, long idleTimeoutMs) {
  public static final int SCHEMA = 1;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  public SessionRecord {
    if (!SessionId.isToken(id)) {
      throw new IllegalArgumentException("malformed id " + SessionId.quote(id));
    }
    Objects.requireNonNull(name, "name");
    readWrite = List.copyOf(readWrite);
    readOnly = List.copyOf(readOnly);
    deny = List.copyOf(deny);
  }

  public SessionRecord withState(SessionState s) {
    return new SessionRecord(id, name, origin, driver, s, createdMs, readWrite, readOnly, deny,
        network, idleTimeoutMs);
  }

  /** One line: "rw:2 ro:1 deny:0 net:block". */
  public String policySummary() {
    return "rw:" + readWrite.size() + " ro:" + readOnly.size() + " deny:" + deny.size()
        + " net:" + network;
  }

  public byte[] toJson() {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("schema_version", SCHEMA).put("id", id);
    name.ifPresent(v -> n.put("name", v));
    n.put("origin", origin).put("driver", driver).put("state", state.wire())
        .put("created_ms", createdMs);
    ObjectNode p = n.putObject("policy");
    readWrite.forEach(p.putArray("read_write")::add);
    readOnly.forEach(p.putArray("read_only")::add);
    deny.forEach(p.putArray("deny")::add);
    p.put("network", network);
    n.put("idle_timeout_ms", idleTimeoutMs);
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(n);
    } catch (IOException e) {
      throw new IllegalStateException("serialising a record cannot fail", e);
    }
  }

  /** Parses a record; any shape problem is an {@link IOException} naming it. */
  public static SessionRecord parse(byte[] json) throws IOException {
    try {
      JsonNode n = MAPPER.readTree(json);
      if (n == null || !n.isObject()) {
        throw new IOException("not a JSON object");
      }
      int schema = n.path("schema_version").asInt(-1);
      if (schema != SCHEMA) {
        throw new IOException("record schema " + n.path("schema_version") + " is incompatible with "
            + "supported schema " + SCHEMA);
      }
      JsonNode p = n.path("policy");
      return new SessionRecord(text(n, "id"),
          n.hasNonNull("name") ? Optional.of(text(n, "name")) : Optional.empty(),
          text(n, "origin"), text(n, "driver"), SessionState.fromWire(text(n, "state")),
          n.path("created_ms").asLong(), strings(p, "read_write"), strings(p, "read_only"),
          strings(p, "deny"), text(p, "network"), n.path("idle_timeout_ms").asLong());
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  private static String text(JsonNode n, String field) throws IOException {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw new IOException("missing or non-string field " + field);
    }
    return v.textValue();
  }

  private static List<String> strings(JsonNode n, String field) throws IOException {
    JsonNode v = n.get(field);
    List<String> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    if (!(v instanceof ArrayNode a)) {
      throw new IOException("field " + field + " is not an array");
    }
    for (JsonNode e : a) {
      if (!e.isTextual()) {
        throw new IOException("field " + field + " holds a non-string");
      }
      out.add(e.textValue());
    }
    return out;
  }
}
