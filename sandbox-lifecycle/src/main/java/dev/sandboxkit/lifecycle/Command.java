package dev.sandboxkit.lifecycle;

import java.util.List;
import java.util.Objects;

/**
 * What an execution runs: a shell command line, or an argument list that the library quotes for
 * the guest's shell ({@code /bin/sh -c} on Linux with POSIX quoting, {@code cmd.exe /C} on Windows
 * with the quoting of mxc's cmd.exe context). Neither form is ever logged.
 */
public sealed interface Command permits Command.Shell, Command.Argv {

  /** {@code commandLine} passed to {@code /bin/sh -c} or {@code cmd.exe /C} verbatim. */
  static Command shell(String commandLine) {
    return new Shell(commandLine);
  }

  /** The words of one command, each passed as one argument whatever characters it holds. */
  static Command argv(List<String> argv) {
    return new Argv(argv);
  }

  /** The words of one command, each passed as one argument whatever characters it holds. */
  static Command argv(String... argv) {
    return new Argv(List.of(argv));
  }

  /** A command line for the guest's shell. */
  record Shell(String commandLine) implements Command {
    public Shell {
      Objects.requireNonNull(commandLine, "commandLine");
      if (commandLine.isBlank()) {
        throw new IllegalArgumentException("the command line is empty");
      }
      if (commandLine.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("the command line must not contain NUL characters");
      }
    }

    /** Redacted: command lines never reach logs. */
    @Override
    public String toString() {
      return "Shell[<" + commandLine.length() + " chars>]";
    }
  }

  /** An argument list; the first word is the program. */
  record Argv(List<String> argv) implements Command {
    public Argv {
      argv = List.copyOf(Objects.requireNonNull(argv, "argv"));
      if (argv.isEmpty()) {
        throw new IllegalArgumentException("the argument list is empty");
      }
      for (String a : argv) {
        if (a.indexOf('\0') >= 0) {
          throw new IllegalArgumentException("an argument contains a NUL character");
        }
      }
    }

    /** Redacted: command lines never reach logs. */
    @Override
    public String toString() {
      return "Argv[<" + argv.size() + " words>]";
    }
  }
}
