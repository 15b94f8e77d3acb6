package dev.sandboxkit.cli;

import dev.sandboxkit.lifecycle.ExecutionResult;
import dev.sandboxkit.lifecycle.FailurePhase;
import java.time.Duration;
import java.util.Optional;

/**
 * A failed run as one line with one cause and one piece of advice. The causes a user meets most
 * are told apart: the timeout, the guest agent dying during the command, a working directory
 * missing in the sandbox; anything else by phase ({@link ErrorHandler#forSandbox}).
 */
final class RunFailure {
  /** The library's summary when the control connection broke during the command. */
  static final String CONNECTION_FAILED = "the connection to the guest failed during the command";
  /** The guest's message for a working directory that is not there. */
  static final String WORKING_DIRECTORY = "working directory '";

  private RunFailure() {}

  /** True when the run ended for a reason of sandboxkit's, not the command's own exit code. */
  static boolean isSandboxkitFailure(ExecutionResult r) {
    return switch (r.failurePhase()) {
      case NONE, PROCESS_EXITED -> r.exitCode() == -1;
      default -> true;
    };
  }

  static CliException of(ExecutionResult r, Optional<Duration> timeout) {
    String msg = r.errorMessage() == null ? "" : r.errorMessage();
    if (r.failurePhase() == FailurePhase.TIMED_OUT) {
      return new CliException("the command timed out" + timeout.map(t -> " after "
          + DurationConverter.format(t)).orElse(""), ErrorHandler.hint(FailurePhase.TIMED_OUT),
          r.extendedError(), ExitCodes.TIMED_OUT);
    }
    if (msg.startsWith(CONNECTION_FAILED)) {
      return new CliException("the guest agent stopped while the command ran (the sandbox's "
          + "control connection closed without an exit code)",
          "the command may have killed it (e.g. kill -9 -1) or made the sandbox run out of memory or "
              + "processes; rerun with --verbose for the detail",
          join(Text.escape(msg), r.extendedError()), ExitCodes.COMMAND_NOT_STARTED);
    }
    if (msg.contains("Argument list too long")) {
      return new CliException("the command could not be started: Argument list too long",
          "pass large inputs through stdin or a file in a mapped folder", join(Text.escape(msg),
              r.extendedError()), ExitCodes.COMMAND_NOT_STARTED);
    }
    if (msg.startsWith(WORKING_DIRECTORY)) {
      int end = msg.indexOf(';');
      String what = end > 0 ? msg.substring(0, end) : msg;
      return new CliException(Text.escape(what),
          "map that folder (--rw DIR, --ro DIR or --here) or pass a --cwd that exists in the sandbox",
          r.extendedError(), ExitCodes.COMMAND_NOT_STARTED);
    }
    FailurePhase phase = r.failurePhase() == FailurePhase.PROCESS_EXITED
        ? FailurePhase.POST_LAUNCH_FAILED : r.failurePhase();
    return ErrorHandler.forSandbox(phase,
        msg.isBlank() ? "the command could not be started in the sandbox" : msg, r.extendedError());
  }

  private static String join(String a, String b) {
    return b == null || b.isBlank() ? a : a + "\n" + b;
  }
}
