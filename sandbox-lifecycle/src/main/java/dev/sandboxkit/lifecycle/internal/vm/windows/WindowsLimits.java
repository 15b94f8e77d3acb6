package dev.sandboxkit.lifecycle.internal.vm.windows;

import dev.sandboxkit.lifecycle.ResourceLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A policy's {@link ResourceLimits} as the windows-sandbox driver enforces them (pure). The guest
 * agent puts every job into a job object ({@code JOBOBJECT_EXTENDED_LIMIT_INFORMATION}); the host
 * passes the limits to it as JVM options of the bootstrap, which the guest reads back
 * ({@code JobLimits.fromProperties}):
 *
 * <ul>
 *   <li>memory: {@code JobMemoryLimit} (+ {@code JOB_OBJECT_LIMIT_JOB_MEMORY}), the memory all the
 *       job's processes may commit together. Not {@code MemoryInMB} of the {@code .wsb}: that is the
 *       whole VM including Windows, and Windows raises a value below its boot minimum, so it cannot
 *       express a sandbox limit; the operator's {@code sandboxkit.windows.memoryInMB} stays as it is.
 *       A job at its limit sees its allocations fail (it is not killed with exit code 137 as on
 *       Linux).
 *   <li>pids: {@code ActiveProcessLimit} (+ {@code JOB_OBJECT_LIMIT_ACTIVE_PROCESS}): processes alive
 *       in the job at once. Threads are not counted (a job object cannot), and the agent is not in
 *       the job.
 *   <li>cpus: refused. Job objects have CPU rate control, but nothing asks for it yet and a
 *       limit that is not enforced must be refused, never dropped.
 *   <li>/tmp size: only the default is accepted; Windows Sandbox has no RAM-backed {@code /tmp}.
 * </ul>
 */
final class WindowsLimits {
  /** Read by the guest's {@code JobLimits}: the job object's {@code ActiveProcessLimit}. */
  static final String PROCESSES_PROPERTY = "sandboxkit.job.activeProcessLimit";
  /** Read by the guest's {@code JobLimits}: the job object's {@code JobMemoryLimit} in bytes. */
  static final String MEMORY_PROPERTY = "sandboxkit.job.memoryBytes";

  private WindowsLimits() {}

  /** Why the driver cannot enforce {@code limits}, or empty. */
  static Optional<String> problem(ResourceLimits limits) {
    if (limits.cpus() != 0) {
      return Optional.of("a cpu limit is not supported by the windows-sandbox driver (its jobs have memory and"
          + " process limits only); remove the cpu limit or use the bubblewrap driver");
    }
    if (limits.tmpBytes() != ResourceLimits.DEFAULT_TMP_BYTES) {
      return Optional.of("a /tmp size does not apply to the windows-sandbox driver (Windows Sandbox has no"
          + " RAM-backed /tmp); remove the /tmp size");
    }
    return Optional.empty();
  }

  /** The JVM options that hand {@code limits} to the guest agent (none for no limits). */
  static List<String> agentJvmOptions(ResourceLimits limits) {
    List<String> options = new ArrayList<>();
    if (limits.pids() != 0) {
      options.add("-D" + PROCESSES_PROPERTY + "=" + limits.pids());
    }
    if (limits.memoryBytes() != 0) {
      options.add("-D" + MEMORY_PROPERTY + "=" + limits.memoryBytes());
    }
    return List.copyOf(options);
  }
}
