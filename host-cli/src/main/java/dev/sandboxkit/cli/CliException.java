package dev.sandboxkit.cli;

/**
 * A failure the CLI reports as one line {@code sandboxkit: <what failed>: <what to do>} and the
 * exit code. The detail is printed only with {@code --verbose}.
 */
final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String whatToDo;
  private final String detail;
  private final int exitCode;

  CliException(String whatFailed, String whatToDo, String detail, int exitCode) {
    super(whatFailed);
    this.whatToDo = whatToDo;
    this.detail = detail == null ? "" : detail;
    this.exitCode = exitCode;
  }

  /** A problem with the options or the config file: exit 125, nothing was launched. */
  static CliException usage(String whatFailed, String whatToDo) {
    return new CliException(whatFailed, whatToDo, "", ExitCodes.SANDBOX_FAILED);
  }

  String whatFailed() {
    return getMessage();
  }

  String whatToDo() {
    return whatToDo;
  }

  String detail() {
    return detail;
  }

  int exitCode() {
    return exitCode;
  }

  /** The one line printed on stderr. */
  String line() {
    return "sandboxkit: " + getMessage() + ": " + whatToDo;
  }
}
