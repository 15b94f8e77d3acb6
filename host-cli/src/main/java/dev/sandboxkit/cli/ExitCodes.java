package dev.sandboxkit.cli;

import dev.sandboxkit.lifecycle.FailurePhase;

/**
 * The one table from "where a run stopped" to the process exit code, in the Docker convention.
 * The command's own exit code passes through; sandboxkit's own failures use 124-126.
 */
final class ExitCodes {
  /** The command ran and exited 0. */
  static final int OK = 0;
  /**
   * {@code doctor}: the default driver is not ready; {@code cleanup}: refused; {@code prepare}: the
   * guest's class-data archive could not be built (sandboxes still start, slower).
   */
  static final int NOT_READY = 1;
  /** The command was killed because it exceeded its timeout. */
  static final int TIMED_OUT = 124;
  /** The execution was cancelled (Ctrl-C on a session's exec): 128 + SIGINT, as a shell reports it. */
  static final int CANCELLED = 130;
  /** The sandbox could not be prepared or launched: bad usage or config, policy rejected, busy. */
  static final int SANDBOX_FAILED = 125;
  /** The sandbox was up but the command could not be started (or did not report an exit code). */
  static final int COMMAND_NOT_STARTED = 126;
  /**
   * {@code run --json --fail-on-truncation}: the command ran to its end but stdout or stderr was cut
   * at {@code --json-limit} (the JSON still carries the command's own exit code).
   */
  static final int OUTPUT_TRUNCATED = 122;

  private ExitCodes() {}

  /**
   * The exit code for a finished run.
   *
   * @param phase where the run stopped
   * @param commandExitCode the command's exit code as reported; -1 = none reported
   */
  static int forRun(FailurePhase phase, int commandExitCode) {
    return switch (phase) {
      case NONE -> commandExitCode == -1 ? COMMAND_NOT_STARTED : commandExitCode;
      // A command on Linux can only exit 0..255, so -1 means the guest could not spawn it.
      case PROCESS_EXITED -> commandExitCode == -1 ? COMMAND_NOT_STARTED : commandExitCode;
      case REJECTED, LAUNCH_FAILED -> SANDBOX_FAILED;
      case POST_LAUNCH_FAILED -> COMMAND_NOT_STARTED;
      case TIMED_OUT -> TIMED_OUT;
      case CANCELLED -> CANCELLED;
    };
  }

  /** The exit code for a run that failed with an exception in {@code phase}. */
  static int forFailure(FailurePhase phase) {
    return switch (phase) {
      case TIMED_OUT -> TIMED_OUT;
      case CANCELLED -> CANCELLED;
      case POST_LAUNCH_FAILED, PROCESS_EXITED -> COMMAND_NOT_STARTED;
      case NONE, REJECTED, LAUNCH_FAILED -> SANDBOX_FAILED;
    };
  }
}
