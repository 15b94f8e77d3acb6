package dev.sandboxkit.cli.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sandboxkit.lifecycle.internal.controlplane.ProcState;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code <root>/<id>/daemon.json}, written only by the daemon: who it is (pid + start time, so a
 * recycled pid is never taken for it), whether its sandbox is ready, and, once it has closed the
 * sandbox, the teardown outcome ("confirmed" = the sandbox is proven gone).
 */
public record DaemonInfo(long pid, long startedMs, boolean ready, String teardown) {
  public static final String CONFIRMED = "confirmed";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** This process, not yet ready. */
  public static DaemonInfo self() {
    ProcessHandle me = ProcessHandle.current();
    return new DaemonInfo(me.pid(), startOf(me).orElse(0L), false, "");
  }

  public DaemonInfo withReady(boolean r) {
    return new DaemonInfo(pid, startedMs, r, teardown);
  }

  public DaemonInfo withTeardown(String t) {
    return new DaemonInfo(pid, startedMs, false, t);
  }

  /**
   * True while the process this names is running (same pid and start time). A daemon killed with
   * SIGKILL whose zombie init has not reaped yet runs nothing: not alive (the JDK says it is).
   */
  public boolean alive() {
    return handle().isPresent();
  }

  /** The live process, if {@link #alive()}. */
  public Optional<ProcessHandle> handle() {
    return ProcessHandle.of(pid).filter(h -> h.isAlive() && startOf(h).map(s -> s == startedMs).orElse(false)
        && !ProcState.exited(pid));
  }

  static Optional<Long> startOf(ProcessHandle h) {
    return h.info().startInstant().map(Instant::toEpochMilli);
  }

  public byte[] toJson() {
    ObjectNode n = MAPPER.createObjectNode().put("schema_version", 1).put("pid", pid)
        .put("started_ms", startedMs).put("ready", ready).put("teardown", teardown);
    try {
      return MAPPER.writeValueAsBytes(n);
    } catch (IOException e) {
      throw new IllegalStateException("serialising cannot fail", e);
    }
  }

  public static DaemonInfo parse(byte[] json) throws IOException {
    JsonNode n = MAPPER.readTree(json);
    if (n == null || !n.isObject() || n.path("schema_version").asInt(-1) != 1
        || !n.path("pid").canConvertToLong()) {
      throw new IOException("daemon.json is not a schema 1 daemon record");
    }
    return new DaemonInfo(n.path("pid").asLong(), n.path("started_ms").asLong(),
        n.path("ready").asBoolean(false), n.path("teardown").asText(""));
  }
}
