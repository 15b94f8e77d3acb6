package dev.sandboxkit.lifecycle.internal.controlplane;

import java.util.List;
import java.util.OptionalLong;

/**
 * Process identity probes and identity-checked termination.
 *
 * <p>Implemented by {@link JdkProcessProbe} (portable, {@link ProcessHandle}); the Windows driver
 * supplies a JNA implementation with exact FILETIMEs; tests use fakes.
 */
public interface ProcessProbe {

  /**
   * Creation time (FILETIME) of {@code pid} if that process is running now; empty when it does not
   * exist, has exited, cannot be opened, or the OS does not report a start time. Pid 0 is always empty.
   */
  OptionalLong runningCreationTime(long pid);

  /**
   * Terminates every target whose pid is running with exactly the recorded creation time (the
   * creation time is re-checked immediately before the kill, so a recycled pid is never killed).
   * Does not wait. Pid 0 and mismatches are skipped.
   *
   * @return how many processes were sent a termination
   */
  int terminate(List<VmProcId> targets);

  /** True when {@code id}'s pid is running with exactly {@code id}'s creation time. */
  default boolean isAlive(VmProcId id) {
    OptionalLong ct = runningCreationTime(id.pid());
    return ct.isPresent() && ct.getAsLong() == id.creationTime();
  }
}
