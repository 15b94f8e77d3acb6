package dev.sandboxkit.guest.job;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * Linux: makes the agent a child subreaper ({@code prctl(PR_SET_CHILD_SUBREAPER, 1)}), so that a job's
 * descendants that daemonize (double fork, {@code setsid}) are re-parented to the agent instead of
 * escaping to init, and reaps such orphans once they are dead (the JVM only reaps the processes it
 * started itself).
 */
final class Subreaper {
  static final int PR_SET_CHILD_SUBREAPER = 36;
  static final int PR_GET_CHILD_SUBREAPER = 37;
  static final int WNOHANG = 1;
  static final String PLATFORM_LIBRARY_PATH = "jna.platform.library.path";

  private static final System.Logger LOG = System.getLogger(Subreaper.class.getName());

  /** The few libc calls we need. */
  interface LibC extends Library {
    int prctl(int option, long arg2, long arg3, long arg4, long arg5);

    int waitpid(int pid, Pointer status, int options);
  }

  private final LibC libc;

  private Subreaper(LibC libc) {
    this.libc = libc;
  }

  /**
   * Turns the current process into a child subreaper. Never throws: when it is not possible (not
   * Linux, no JNA) it logs a warning and returns an instance that reaps nothing.
   */
  static Subreaper enable() {
    if (!Platform.isLinux()) {
      return new Subreaper(null);
    }
    presetLibraryPath(System.getProperties(), System.getProperty("os.arch", ""));
    try {
      // "c" is the running process itself on Linux (JNA opens it with dlopen(NULL)): no search.
      LibC libc = Native.load(Platform.C_LIBRARY_NAME, LibC.class);
      if (libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) {
        LOG.log(
            System.Logger.Level.WARNING,
            "prctl(PR_SET_CHILD_SUBREAPER) failed (errno {0}); daemonized job descendants may escape"
                + " the kill at job end",
            Native.getLastError());
      }
      return new Subreaper(libc);
    } catch (LinkageError e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "cannot load libc through JNA ({0}); daemonized job descendants may escape the kill at job end",
          e.toString());
      return new Subreaper(null);
    }
  }

  /**
   * Sets {@code jna.platform.library.path} unless already set. Without it JNA's first use on Linux
   * runs {@code /sbin/ldconfig -p} (a process start, inside every sandbox) to learn where libraries
   * live; the agent only needs libc, which JNA takes from the running process. The standard
   * directories stand in for ldconfig's answer should anything else be loaded by short name.
   */
  static void presetLibraryPath(java.util.Properties props, String osArch) {
    if (props.getProperty(PLATFORM_LIBRARY_PATH) == null) {
      props.setProperty(PLATFORM_LIBRARY_PATH, linuxLibraryPath(osArch));
    }
  }

  /** The usual library directories for a JVM architecture, multiarch (Debian) ones first (pure). */
  static String linuxLibraryPath(String osArch) {
    String multiarch;
    switch (osArch) {
      case "amd64":
      case "x86_64":
        multiarch = "x86_64-linux-gnu";
        break;
      case "aarch64":
      case "arm64":
        multiarch = "aarch64-linux-gnu";
        break;
      default:
        multiarch = null;
    }
    String common = "/usr/lib64:/lib64:/usr/lib:/lib";
    return multiarch == null ? common : "/usr/lib/" + multiarch + ":/lib/" + multiarch + ":" + common;
  }

  /** An instance that reaps nothing (the set-up failed or did not finish in time). */
  static Subreaper none() {
    return new Subreaper(null);
  }

  /** Whether the process is a subreaper now (for tests). */
  boolean active() {
    if (libc == null) {
      return false;
    }
    try (com.sun.jna.Memory m = new com.sun.jna.Memory(4)) {
      m.setInt(0, 0);
      return libc.prctl(PR_GET_CHILD_SUBREAPER, Pointer.nativeValue(m), 0, 0, 0) == 0 && m.getInt(0) != 0;
    }
  }

  /**
   * Reaps direct children that are dead and were not started by the JVM (re-parented orphans).
   *
   * @param jvmOwned pid the JVM reaps itself (the job's main process): never waited for here
   */
  void reapOrphans(long jvmOwned) {
    if (libc == null) {
      return;
    }
    ProcessHandle.current()
        .children()
        .filter(h -> h.pid() != jvmOwned)
        .forEach(h -> libc.waitpid((int) h.pid(), Pointer.NULL, WNOHANG));
  }
}
