package dev.sandboxkit.lifecycle.internal.teardown;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sandboxkit.lifecycle.internal.controlplane.AtomicJson;
import dev.sandboxkit.lifecycle.internal.controlplane.VmProcId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one-shot run marker, exactly mxc's {@code oneshot.marker} JSON:
 * {@code {"launcher_pid":u32,"launcher_creation_time":u64|null,"vm_processes":[{"pid":u32,"creation_time":u64}]}}.
 *
 * <p>Written compact, in that field order. Parsing: {@code launcher_pid} required; a missing or
 * {@code null} {@code launcher_creation_time} means unknown; a missing {@code vm_processes} means
 * {@code []}; unknown keys are ignored. Anything else (including the legacy text {@code pid=1234})
 * is a {@link MarkerFormatException}; callers treat such a marker as a dead launcher with no proof.
 *
 * @param launcherPid pid of the process that owns the run (u32)
 * @param launcherCreationTime its FILETIME creation time, or null when it could not probe itself
 * @param vmProcesses the sandbox process proof (may be empty)
 */
public record Marker(long launcherPid, Long launcherCreationTime, List<VmProcId> vmProcesses) {

  public Marker {
    if (launcherPid < 0 || launcherPid > VmProcId.MAX_PID) {
      throw new IllegalArgumentException("launcher pid " + launcherPid + " is out of range 0.." + VmProcId.MAX_PID);
    }
    if (launcherCreationTime != null && launcherCreationTime < 0) {
      throw new IllegalArgumentException("launcher creation time " + launcherCreationTime + " is negative");
    }
    vmProcesses = List.copyOf(vmProcesses);
  }

  /** A marker for this JVM (creation time null when it cannot probe itself) with {@code proof}. */
  public static Marker forCurrentProcess(List<VmProcId> proof) {
    Optional<VmProcId> self = VmProcId.current();
    return new Marker(ProcessHandle.current().pid(),
        self.map(VmProcId::creationTime).orElse(null), proof);
  }

  /** The launcher identity, or empty when its creation time is unknown. */
  public Optional<VmProcId> launcher() {
    return launcherCreationTime == null ? Optional.empty()
        : Optional.of(new VmProcId(launcherPid, launcherCreationTime));
  }

  /** A copy with another proof, same launcher. */
  public Marker withProof(List<VmProcId> proof) {
    return new Marker(launcherPid, launcherCreationTime, proof);
  }

  /** Compact JSON bytes in mxc's field order. */
  public byte[] toJson() {
    ObjectNode root = AtomicJson.MAPPER.createObjectNode();
    root.put("launcher_pid", launcherPid);
    if (launcherCreationTime == null) {
      root.putNull("launcher_creation_time");
    } else {
      root.put("launcher_creation_time", launcherCreationTime.longValue());
    }
    ArrayNode procs = root.putArray("vm_processes");
    for (VmProcId p : vmProcesses) {
      procs.addObject().put("pid", p.pid()).put("creation_time", p.creationTime());
    }
    try {
      return AtomicJson.toBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException("serialising a marker cannot fail", e);
    }
  }

  /** Parses marker bytes (UTF-8 JSON). */
  public static Marker parse(byte[] bytes) throws MarkerFormatException {
    JsonNode root;
    try {
      root = AtomicJson.MAPPER.readTree(bytes);
    } catch (IOException e) {
      throw new MarkerFormatException("marker is not JSON (" + preview(bytes) + "): " + firstLine(e.getMessage()));
    }
    if (root == null || !root.isObject()) {
      throw new MarkerFormatException("marker is not a JSON object (" + preview(bytes) + ")");
    }
    long pid = u32(root.get("launcher_pid"), "launcher_pid");
    JsonNode ctNode = root.get("launcher_creation_time");
    Long ct = ctNode == null || ctNode.isNull() ? null : u63(ctNode, "launcher_creation_time");
    List<VmProcId> procs = new ArrayList<>();
    JsonNode list = root.get("vm_processes");
    if (list != null && !list.isNull()) {
      if (!list.isArray()) {
        throw new MarkerFormatException("marker field vm_processes is not an array");
      }
      for (JsonNode p : list) {
        if (!p.isObject()) {
          throw new MarkerFormatException("marker vm_processes entry is not an object: " + p);
        }
        procs.add(new VmProcId(u32(p.get("pid"), "vm_processes[].pid"),
            u63(p.get("creation_time"), "vm_processes[].creation_time")));
      }
    }
    return new Marker(pid, ct, procs);
  }

  private static long u32(JsonNode n, String field) throws MarkerFormatException {
    long v = u63(n, field);
    if (v > VmProcId.MAX_PID) {
      throw new MarkerFormatException("marker field " + field + " = " + v + " is not a u32");
    }
    return v;
  }

  private static long u63(JsonNode n, String field) throws MarkerFormatException {
    if (n == null || n.isNull()) {
      throw new MarkerFormatException("marker field " + field + " is missing");
    }
    if (!n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < 0) {
      throw new MarkerFormatException("marker field " + field + " = " + n + " is not a non-negative integer");
    }
    return n.longValue();
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static String preview(byte[] bytes) {
    String s = new String(bytes, 0, Math.min(bytes.length, 40), StandardCharsets.UTF_8);
    return bytes.length + " bytes, starting '" + s.replaceAll("\\p{Cntrl}", "?") + "'";
  }
}
