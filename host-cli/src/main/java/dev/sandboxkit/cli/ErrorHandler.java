package dev.sandboxkit.cli;

import dev.sandboxkit.lifecycle.FailurePhase;
import dev.sandboxkit.lifecycle.SandboxException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The one place errors become output: one line {@code sandboxkit: <what failed>: <what to do>}
 * on stderr, the detail only with {@code --verbose}, never a stack trace; returns the exit code.
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {

  @Override
  public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parseResult) {
    CliException e = toCli(ex);
    print(cl.getErr(), e, verbose(cl), ex);
    return e.exitCode();
  }

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cl = ex.getCommandLine();
    PrintWriter err = cl.getErr();
    String msg = ex.getMessage() == null ? "invalid usage" : stripPeriod(ex.getMessage());
    err.println("sandboxkit: " + Text.escape(msg) + ": see '"
        + cl.getCommandSpec().qualifiedName() + " --help'");
    if (ex instanceof UnmatchedArgumentException u) {
      UnmatchedArgumentException.printSuggestions(u, err);
    }
    err.flush();
    return cl.getCommandSpec().exitCodeOnInvalidInput();
  }

  /** Prints a failure the way every command does. */
  static void print(PrintWriter err, CliException e, boolean verbose, Throwable cause) {
    err.println(e.line());
    if (verbose) {
      String[] lines = e.detail().isBlank() ? new String[0] : e.detail().strip().split("\\R");
      for (int i = 0; i < lines.length; i++) {
        // the first line is already the "what to do" part when it was short enough
        if (i > 0 || !stripPeriod(Text.escape(lines[0].strip())).equals(e.whatToDo())) {
          err.println("  " + Text.escape(lines[i]));
        }
      }
      for (Throwable t = cause == e ? e.getCause() : cause; t != null; t = t.getCause()) {
        if (!(t instanceof CliException)) {
          err.println("  caused by: " + t.getClass().getName() + ": " + Text.escape(t.getMessage()));
        }
      }
    }
    err.flush();
  }

  /** Maps any exception a command lets escape to the CLI's failure. */
  static CliException toCli(Throwable ex) {
    if (ex instanceof CliException c) {
      return c;
    }
    if (ex instanceof ConfigException c) {
      return c.toCli();
    }
    if (ex instanceof SandboxException s) {
      return forSandbox(s.phase(), s.getMessage(), s.detail());
    }
    CliException c = new CliException(
        "unexpected error: " + ex.getClass().getSimpleName() + ": " + Text.escape(ex.getMessage()),
        "rerun with --verbose and report the output", "",
        ExitCodes.SANDBOX_FAILED);
    c.initCause(ex);
    return c;
  }

  /**
   * A run failure in {@code phase} as one line: the summary, then what to do — the first line of
   * the detail when it is short (the detail says why and how to fix it), else a hint by phase.
   */
  static CliException forSandbox(FailurePhase phase, String summary, String detail) {
    String what = stripPeriod(Text.escape(summary == null || summary.isBlank() ? "the run failed" : summary));
    String first = detail == null ? "" : detail.strip().split("\\R", 2)[0].strip();
    String todo = !first.isEmpty() && first.length() <= 400 ? stripPeriod(Text.escape(first)) : hint(phase);
    return new CliException(what, todo, detail, ExitCodes.forFailure(phase));
  }

  /** What to do after a failure in {@code phase} when the detail says nothing better. */
  static String hint(FailurePhase phase) {
    return switch (phase) {
      case REJECTED -> "change the request, or run 'sandboxkit doctor' to check the prerequisites";
      case LAUNCH_FAILED -> "retry; if it keeps failing, run 'sandboxkit doctor' and 'sandboxkit "
          + "cleanup', and rerun with --verbose";
      case POST_LAUNCH_FAILED -> "check that the command exists in the sandbox and the working "
          + "directory is mapped; rerun with --verbose";
      case TIMED_OUT -> "raise --timeout (or process.timeout) or make the command finish sooner";
      case CANCELLED -> "the execution was cancelled on request; run it again if that was a mistake";
      case PROCESS_EXITED, NONE -> "rerun with --verbose for the detail";
    };
  }

  static String stripPeriod(String s) {
    String t = s.strip();
    return t.endsWith(".") ? t.substring(0, t.length() - 1) : t;
  }

  private static boolean verbose(CommandLine cl) {
    Object cmd = cl.getCommand();
    return cmd instanceof Verbosity v && v.verbose();
  }

  /** Commands with a {@code --verbose} flag. */
  interface Verbosity {
    boolean verbose();
  }
}
