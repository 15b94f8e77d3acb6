package dev.sandboxkit.cli.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sandboxkit.lifecycle.ResourceLimits;
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
 * @param limits memory, pids, CPU and /tmp size of the sandbox (fixed at start, like the policy)
 */
public record SessionRecord(String id, Optional<String> name, String origin, String driver,
    SessionState state, long createdMs, List<String> readWrite, List<String> readOnly,
    List<String> deny, String network, long idleTimeoutMs, ResourceLimits limits) {
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
    Objects.requireNonNull(limits, "limits");
  }

  /** With the default limits. */
  public SessionRecord(String id, Optional<String> name, String origin, String driver,
      SessionState state, long createdMs, List<String> readWrite, List<String> readOnly,
      List<String> deny, String network, long idleTimeoutMs) {
    this(id, name, origin, driver, state, createdMs, readWrite, readOnly, deny, network, idleTimeoutMs,
        ResourceLimits.DEFAULT);
  }

  public SessionRecord withState(SessionState s) {
    return new SessionRecord(id, name, origin, driver, s, createdMs, readWrite, readOnly, deny,
        network, idleTimeoutMs, limits);
  }

  /** One line: "rw:2 ro:1 deny:0 net:block". */
  public String policySummary() {
    return "rw:" + readWrite.size() + " ro:" + readOnly.size() + " deny:" + deny.size()
        + " net:" + network
        + (limits.memoryBytes() > 0 ? " mem:" + (limits.memoryBytes() >> 20) + "m" : "")
        + (limits.pids() > 0 ? " pids:" + limits.pids() : "")
        + (limits.cpus() > 0 ? " cpus:" + limits.cpus() : "");
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
    n.putObject("limits").put("memory_bytes", limits.memoryBytes()).put("pids", limits.pids())
        .put("cpus", limits.cpus()).put("tmp_bytes", limits.tmpBytes());
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
          strings(p, "deny"), text(p, "network"), n.path("idle_timeout_ms").asLong(), limits(n.get("limits")));
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  private static ResourceLimits limits(JsonNode l) throws IOException {
    if (l == null) {
      return ResourceLimits.DEFAULT;
    }
    if (!l.isObject() || !l.path("memory_bytes").isIntegralNumber() || !l.path("pids").isIntegralNumber()
        || !l.path("cpus").isNumber() || !l.path("tmp_bytes").isIntegralNumber()) {
      throw new IOException("field limits is not {memory_bytes, pids, cpus, tmp_bytes}");
    }
    return new ResourceLimits(l.path("memory_bytes").asLong(), l.path("pids").asInt(), l.path("cpus").asDouble(),
        l.path("tmp_bytes").asLong());
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
