package dev.sandboxkit.lifecycle;

/** Where a run stopped, so callers can decide whether to retry. */
public enum FailurePhase {
  /** The command ran and exited 0. */
  NONE,
  /** The request or its policy cannot be enforced, or a prerequisite is missing. Not retryable. */
  REJECTED,
  /** The sandbox could not be launched or reached (includes "busy"). Often retryable. */
  LAUNCH_FAILED,
  /** The sandbox was up but the guest infrastructure or the relay failed. */
  POST_LAUNCH_FAILED,
  /** The command ran and exited non-zero. */
  PROCESS_EXITED,
  /** The command was killed for exceeding its timeout. */
  TIMED_OUT
}
