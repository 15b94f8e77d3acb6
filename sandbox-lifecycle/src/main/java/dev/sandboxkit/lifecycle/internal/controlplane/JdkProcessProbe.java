package dev.sandboxkit.lifecycle.internal.controlplane;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@link ProcessProbe} on {@link ProcessHandle}: portable, used on Linux.
 *
 * <p>Creation times come from {@code ProcessHandle.Info.startInstant()} converted to FILETIME. On
 * Linux this has clock-tick (about 10 ms) resolution; the JDK derives it from {@code /proc} the same
 * way every time, so a value recorded earlier compares equal. A zombie (exited, not yet reaped by
 * its parent) is not running: {@link ProcState}. {@code destroyForcibly} re-checks the
 * start time on its own (check-then-kill; a small TOCTOU window remains on Linux, acceptable here).
 * On Windows the JDK truncates to milliseconds, so the Windows driver uses its own JNA probe instead.
 */
public final class JdkProcessProbe implements ProcessProbe {

  /** The shared instance (stateless). */
  public static final JdkProcessProbe INSTANCE = new JdkProcessProbe();

  /** The logger, created on first use: the launch path never starts the logging backend. */
  private static final class Log {
    static final System.Logger LOG = System.getLogger(JdkProcessProbe.class.getName());
  }

  private JdkProcessProbe() {
  }

  @Override
  public OptionalLong runningCreationTime(long pid) {
    Optional<ProcessHandle> handle = open(pid);
    if (handle.isEmpty() || !handle.get().isAlive() || ProcState.exited(pid)) {
      return OptionalLong.empty(); // a zombie is not running (ProcState)
    }
    return VmProcId.of(handle.get())
        .map(id -> OptionalLong.of(id.creationTime()))
        .orElseGet(OptionalLong::empty);
  }

  @Override
  public int terminate(List<VmProcId> targets) {
    int killed = 0;
    for (VmProcId target : targets) {
      if (target.pid() == ProcessHandle.current().pid()) {
        Log.LOG.log(System.Logger.Level.WARNING, "refusing to terminate this JVM (pid " + target.pid() + ")");
        continue;
      }
      Optional<ProcessHandle> handle = open(target.pid());
      if (handle.isEmpty()) {
        continue;
      }
      Optional<VmProcId> actual = VmProcId.of(handle.get());
      if (actual.isEmpty() || !actual.get().equals(target) || !handle.get().isAlive()
          || ProcState.exited(target.pid())) {
        Log.LOG.log(System.Logger.Level.DEBUG, "not terminating pid {0}: identity {1} does not match {2}",
            String.valueOf(target.pid()), actual.map(VmProcId::toString).orElse("unknown"), target);
        continue;
      }
      try {
        if (handle.get().destroyForcibly()) {
          killed++;
        }
      } catch (SecurityException | UnsupportedOperationException e) {
        Log.LOG.log(System.Logger.Level.WARNING, "could not terminate pid " + target.pid() + ": " + e);
      }
    }
    return killed;
  }

  private static Optional<ProcessHandle> open(long pid) {
    if (pid <= 0) {
      return Optional.empty();
    }
    try {
      return ProcessHandle.of(pid);
    } catch (SecurityException | UnsupportedOperationException e) {
      return Optional.empty();
    }
  }
}
