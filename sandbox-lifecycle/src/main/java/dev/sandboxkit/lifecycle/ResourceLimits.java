package dev.sandboxkit.lifecycle;

import java.util.Locale;

/**
 * How much of the host one sandbox may take. {@code 0} means "no limit" for memory, pids and cpus;
 * {@code /tmp} always has a size ({@link #DEFAULT_TMP_BYTES} unless set), so a sandbox can never take
 * the host's RAM through its RAM-backed {@code /tmp}.
 *
 * <p>A driver enforces each limit it is given or refuses the run before anything starts
 * ({@link FailurePhase#REJECTED}, naming the limit and what to do): bubblewrap puts memory, pids
 * and cpu in a cgroup of the run (v2, or v1 controllers, as root or under a delegated subtree).
 * A workload killed at its memory limit ends with exit code {@link #OOM_EXIT_CODE} (SIGKILL) and
 * {@link FailurePhase#PROCESS_EXITED}, the error message saying the memory limit was reached.
 *
 * @param memoryBytes memory (RAM, including the sandbox's tmpfs pages) of the whole sandbox; 0 = none
 * @param pids processes and threads of the whole sandbox, the guest agent's own included; 0 = none
 * @param cpus CPU time as a number of CPUs (1.5 = one and a half cores); 0 = none
 * @param tmpBytes the size of the sandbox's {@code /tmp} (tmpfs); never unbounded
 */
public record ResourceLimits(long memoryBytes, int pids, double cpus, long tmpBytes) {
  /** The default size of {@code /tmp}: 512 MiB. */
  public static final long DEFAULT_TMP_BYTES = 512L << 20;
  /** No memory, pids or cpu limit; {@code /tmp} of {@link #DEFAULT_TMP_BYTES}. */
  public static final ResourceLimits DEFAULT = new ResourceLimits(0, 0, 0, DEFAULT_TMP_BYTES);
  /** Exit code of a workload killed at its memory limit (128 + SIGKILL). */
  public static final int OOM_EXIT_CODE = 137;
  /** The smallest memory limit: the guest agent's JVM alone needs about 60 MiB. */
  public static final long MIN_MEMORY_BYTES = 128L << 20;
  /** The fewest pids: the agent's JVM runs about 20 threads before any workload. */
  public static final int MIN_PIDS = 32;

  public ResourceLimits {
    if (memoryBytes != 0 && memoryBytes < MIN_MEMORY_BYTES) {
      throw new IllegalArgumentException("memory limit " + memoryBytes + " bytes is below the minimum of "
          + (MIN_MEMORY_BYTES >> 20) + " MiB (the guest agent needs about 60 MiB)");
    }
    if (memoryBytes < 0 || pids < 0 || cpus < 0 || Double.isNaN(cpus) || Double.isInfinite(cpus)) {
      throw new IllegalArgumentException("limits must be positive (0 = none)");
    }
    if (pids != 0 && pids < MIN_PIDS) {
      throw new IllegalArgumentException("pids limit " + pids + " is below the minimum of " + MIN_PIDS
          + " (the guest agent's JVM runs about 20 threads)");
    }
    if (cpus != 0 && cpus < 0.01) {
      throw new IllegalArgumentException("cpu limit " + cpus + " is below the minimum of 0.01");
    }
    if (tmpBytes < (1L << 20)) {
      throw new IllegalArgumentException("/tmp size " + tmpBytes + " bytes is below the minimum of 1 MiB");
    }
  }

  /** Whether any limit needs a cgroup (memory, pids or cpu). */
  public boolean needsCgroup() {
    return memoryBytes != 0 || pids != 0 || cpus != 0;
  }

  /**
   * A size such as {@code 512m}, {@code 2g}, {@code 64k} or {@code 1048576} (bytes); suffixes k, m,
   * g, t (powers of 1024, case-insensitive, an optional trailing {@code b} or {@code ib}).
   *
   * @throws IllegalArgumentException naming the value and the accepted forms
   */
  public static long parseSize(String text) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    if (s.endsWith("ib")) {
      s = s.substring(0, s.length() - 2);
    } else if (s.endsWith("b")) {
      s = s.substring(0, s.length() - 1);
    }
    int shift = 0;
    if (!s.isEmpty()) {
      switch (s.charAt(s.length() - 1)) {
        case 'k' -> shift = 10;
        case 'm' -> shift = 20;
        case 'g' -> shift = 30;
        case 't' -> shift = 40;
        default -> shift = -1;
      }
      if (shift >= 0) {
        s = s.substring(0, s.length() - 1);
      } else {
        shift = 0;
      }
    }
    try {
      if (!s.matches("[0-9]{1,15}")) {
        throw new NumberFormatException();
      }
      long n = Long.parseLong(s);
      if (n > (Long.MAX_VALUE >> shift)) {
        throw new NumberFormatException();
      }
      return n << shift;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid size '" + text + "': use a whole number of bytes with an"
          + " optional k, m, g or t suffix, for example 512m");
    }
  }
}
