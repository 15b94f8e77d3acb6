package dev.sandboxkit.lifecycle.internal.teardown;

import dev.sandboxkit.lifecycle.internal.controlplane.VmProcId;
import java.util.List;
import java.util.Optional;

/**
 * The one-shot run marker, exactly mxc's {@code oneshot.marker} JSON:
 * {@code {"launcher_pid":u32,"launcher_creation_time":u64|null,"vm_processes":[{"pid":u32,"creation_time":u64}]}}.
 *
 * <p>Written compact, in that field order. Parsing: {@code launcher_pid} required; a missing or
 * {@code null} {@code launcher_creation_time} means unknown; a missing {@code vm_processes} means
 * {@code []} (so does {@code null}); unknown keys are ignored. Anything else (including the legacy
 * text {@code pid=1234}, a known key given twice, and data after the object) is a {@link
 * MarkerFormatException}; callers treat such a marker as a dead launcher with no proof. The JSON is
 * read and written with jackson-core's streaming API ({@link MarkerJson}), never databind.
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
    return MarkerJson.write(this);
  }

  /**
   * Parses marker bytes (UTF-8 JSON).
   *
   * @throws MarkerFormatException for anything but one JSON object with a valid {@code launcher_pid}
   *     (see the class comment), with what was wrong and the first bytes of the input
   */
  public static Marker parse(byte[] bytes) throws MarkerFormatException {
    return MarkerJson.parse(bytes);
  }
}
