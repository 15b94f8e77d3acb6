package dev.sandboxkit.lifecycle.internal.controlplane;

import java.util.Optional;

/**
 * Identity of one host process: pid plus creation time as a Windows FILETIME (see {@link Filetime}).
 *
 * <p>Equality uses both fields: the same pid with another creation time is a different process
 * (the PID-reuse defence). JSON form (mxc-compatible): {@code {"pid":u32,"creation_time":u64}}.
 *
 * @param pid process id, unsigned 32-bit (0..4294967295)
 * @param creationTime creation time as FILETIME (100 ns ticks since 1601-01-01 UTC), non-negative
 */
public record VmProcId(long pid, long creationTime) {

  /** Largest valid pid (u32). */
  public static final long MAX_PID = 0xFFFF_FFFFL;

  public VmProcId {
    if (pid < 0 || pid > MAX_PID) {
      throw new IllegalArgumentException("pid " + pid + " is out of range 0.." + MAX_PID);
    }
    if (creationTime < 0) {
      throw new IllegalArgumentException("creation time " + creationTime + " is negative");
    }
  }

  /** Identity of a live process handle, or empty when the OS does not report its start time. */
  public static Optional<VmProcId> of(ProcessHandle handle) {
    return handle.info().startInstant()
        .map(start -> new VmProcId(handle.pid(), Filetime.fromInstant(start)));
  }

  /**
   * Identity of this JVM, or empty when it cannot probe itself (probed once, then remembered); on
   * Windows the exact FILETIME of {@code GetProcessTimes} ({@link SelfIdentity}).
   */
  public static Optional<VmProcId> current() {
    return Self.ID;
  }

  /** This JVM's identity never changes; probing it costs a few /proc reads, so do it once. */
  private static final class Self {
    static final Optional<VmProcId> ID = SelfIdentity.current();
  }

  /*
   * equals/hashCode/toString written out: the record defaults bootstrap java.lang.runtime.ObjectMethods
   * through method handles on first use, about 10 ms of start-up that sat on the teardown path.
   */

  @Override
  public boolean equals(Object o) {
    return o instanceof VmProcId other && other.pid == pid && other.creationTime == creationTime;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(pid) * 31 + Long.hashCode(creationTime);
  }

  @Override
  public String toString() {
    return pid + "/" + creationTime;
  }
}
