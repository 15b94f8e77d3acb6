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
}
