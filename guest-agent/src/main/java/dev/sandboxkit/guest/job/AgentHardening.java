package dev.sandboxkit.guest.job;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * Keeps the workload away from the agent where both run as the same uid (the user-namespace path;
 * on a root host each job runs as a uid of its own, {@link JobUser}, and this is a second wall):
 * {@code prctl(PR_SET_DUMPABLE, 0)}.
 * A non-dumpable process's {@code /proc/PID/mem}, {@code /proc/PID/fd}, {@code ptrace} attach,
 * {@code process_vm_readv} and {@code pidfd_getfd} need {@code CAP_SYS_PTRACE}, which no workload
 * holds, so the workload can neither read the agent's memory nor take its descriptors (the
 * control socket, the lifeline, the host's sandbox.log). Jobs are unaffected: {@code execve} of
 * an ordinary program makes the new image dumpable again. It does not stop signals from the same
 * uid (a killed or stopped agent fails the run; the host's deadline ends it).
 */
final class AgentHardening {
  static final int PR_SET_DUMPABLE = 4;
  static final int PR_GET_DUMPABLE = 3;
  private static final System.Logger LOG = System.getLogger(AgentHardening.class.getName());

  interface LibC extends Library {
    int prctl(int option, long arg2, long arg3, long arg4, long arg5);
  }

  private AgentHardening() {}

  /** Makes this process non-dumpable; true when it is (false, with a warning, off Linux or on error). */
  static boolean apply() {
    if (!Platform.isLinux()) {
      return false;
    }
    try {
      LibC libc = Native.load(Platform.C_LIBRARY_NAME, LibC.class);
      if (libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0 || libc.prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != 0) {
        LOG.log(System.Logger.Level.WARNING, "prctl(PR_SET_DUMPABLE, 0) failed (errno {0}); a job running as the"
            + " agent's uid could read its memory", Native.getLastError());
        return false;
      }
      return true;
    } catch (LinkageError e) {
      LOG.log(System.Logger.Level.WARNING, "cannot load libc through JNA ({0}); the agent stays dumpable",
          e.toString());
      return false;
    }
  }
}
