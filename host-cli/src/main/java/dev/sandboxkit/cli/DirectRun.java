package dev.sandboxkit.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;

/**
 * {@code sandboxkit run -- COMMAND [ARGS...]} with no option: the one form whose parse has a single
 * outcome (every word after {@code --} is the command, every option keeps its default), run without
 * building picocli's model and parser, which costs a cold JVM ~50-75 ms before the sandbox can be
 * launched (measured with -Xlog:class+load on the main thread). Everything else goes through
 * picocli. Output, errors and exit codes are picocli's: the writers are made as {@link
 * SandboxkitCommand} makes them, an exception escaping the command is handled as its {@link
 * ErrorHandler} handles it, and FastPathTest compares both paths for the same arguments.
 */
final class DirectRun {
  private DirectRun() {}

  /** True for {@code run -- COMMAND [ARGS...]}: "run", then "--", then at least one word. */
  static boolean applies(String[] args) {
    return args.length >= 3 && args[0].equals("run") && args[1].equals("--");
  }

  /** Runs {@code args} (for which {@link #applies} is true); returns the exit code. */
  static int execute(Backend backend, Io io, String[] args) {
    PrintWriter out = SandboxkitCommand.writer(io.out());
    PrintWriter err = SandboxkitCommand.writer(io.err());
    List<String> command = Arrays.asList(args).subList(2, args.length);
    RunCommand run = new RunCommand(backend, io, command, out, err);
    try {
      return run.call();
    } catch (Exception ex) { // as picocli hands an escaping exception to ErrorHandler
      CliException e = ErrorHandler.toCli(ex);
      ErrorHandler.print(err, e, run.verbose(), ex);
      return e.exitCode();
    }
  }
}
