package dev.sandboxkit.lifecycle;

/** Where a run or an execution stopped, so callers can decide whether to retry. */
public enum FailurePhase {
  /** The command ran and exited 0. */
  NONE,
  /**
   * The request or its policy cannot be enforced, a prerequisite is missing, or the sandbox is busy
   * with another execution ({@link SandboxBusyException}). Not retryable as it is.
   */
  REJECTED,
  /** The sandbox could not be launched or reached (includes "host slot busy"). Often retryable. */
  LAUNCH_FAILED,
  /** The sandbox was up but the guest infrastructure or the relay failed, or the sandbox is closed. */
  POST_LAUNCH_FAILED,
  /** The command ran and exited non-zero. */
  PROCESS_EXITED,
  /** The command was killed for exceeding its timeout. */
  TIMED_OUT,
  /** The command was cancelled by the caller ({@link Execution#cancel()}). */
  CANCELLED
}
