package dev.sandboxkit.guest.job;

/**
 * The limits a Windows job object enforces (pure). Kill-on-close always: nothing a job starts
 * outlives its job handle. Optional: the number of live processes in the job and the memory the
 * whole job may commit.
 *
 * @param activeProcessLimit the largest number of processes alive in the job at once, or 0 = none
 * @param jobMemoryBytes the committed memory of all the job's processes together, or 0 = none
 */
record JobLimits(int activeProcessLimit, long jobMemoryBytes) {
  /** Only kill-on-close. */
  static final JobLimits NONE = new JobLimits(0, 0);
  /**
   * The system property with {@link #activeProcessLimit}; the Windows host writes it into the
   * bootstrap's JVM options from the policy's pids limit.
   */
  static final String PROCESSES_PROPERTY = "sandboxkit.job.activeProcessLimit";
  /** The system property with {@link #jobMemoryBytes}, from the policy's memory limit. */
  static final String MEMORY_PROPERTY = "sandboxkit.job.memoryBytes";

  JobLimits {
    if (activeProcessLimit < 0) {
      throw new IllegalArgumentException("the process limit must be positive, got " + activeProcessLimit);
    }
    if (jobMemoryBytes < 0) {
      throw new IllegalArgumentException("the memory limit must be positive, got " + jobMemoryBytes);
    }
  }

  /** {@code JOBOBJECT_BASIC_LIMIT_INFORMATION.LimitFlags} for these limits. */
  int limitFlags() {
    int flags = WinJobApi.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
    if (activeProcessLimit > 0) {
      flags |= WinJobApi.JOB_OBJECT_LIMIT_ACTIVE_PROCESS;
    }
    if (jobMemoryBytes > 0) {
      flags |= WinJobApi.JOB_OBJECT_LIMIT_JOB_MEMORY;
    }
    return flags;
  }

  /**
   * The limits given to the agent as system properties ({@link #PROCESSES_PROPERTY}, {@link
   * #MEMORY_PROPERTY}; absent = none).
   *
   * @throws IllegalArgumentException naming the property when a value is not a whole number from 0
   */
  static JobLimits fromProperties(java.util.function.Function<String, String> properties) {
    return new JobLimits(
        (int) Math.min(Integer.MAX_VALUE, number(properties, PROCESSES_PROPERTY, Integer.MAX_VALUE)),
        number(properties, MEMORY_PROPERTY, Long.MAX_VALUE));
  }

  private static long number(java.util.function.Function<String, String> properties, String name, long max) {
    String text = properties.apply(name);
    if (text == null) {
      return 0;
    }
    try {
      long n = Long.parseLong(text.trim());
      if (n >= 0 && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("the job limit -D" + name + "=" + text
        + " is not a whole number from 0 to " + max);
  }
}
