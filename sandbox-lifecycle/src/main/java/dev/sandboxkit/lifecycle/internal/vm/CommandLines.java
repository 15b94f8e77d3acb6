package dev.sandboxkit.lifecycle.internal.vm;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Joins the argv given after {@code --} into the one command-line string the guest's shell runs:
 * {@code /bin/sh -c} on Linux (POSIX single quotes), {@code cmd.exe /C} on Windows (the quoting of
 * mxc's cmd.exe context). Pure functions.
 */
final class CommandLines {
  private static final Pattern POSIX_SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

  private CommandLines() {}

  /**
   * POSIX shell quoting: words of safe characters stay bare, everything else is wrapped in single
   * quotes, with {@code '} written as {@code '\''}. So {@code echo "a b"} runs as {@code echo 'a b'}.
   */
  static String joinPosix(List<String> argv) {
    requireArgs(argv);
    StringBuilder sb = new StringBuilder();
    for (String arg : argv) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      if (POSIX_SAFE.matcher(arg).matches()) {
        sb.append(arg);
      } else {
        sb.append('\'').append(arg.replace("'", "'\\''")).append('\'');
      }
    }
    return sb.toString();
  }

  /**
   * cmd.exe quoting (docs/mxc-compatibility.md §2.3): an argument is wrapped in {@code "..."} when it is
   * empty or contains space, tab, newline, vertical tab, {@code " & | < > ^ ( )}; inside quotes
   * {@code "} becomes {@code \"} and backslashes follow the CommandLineToArgvW doubling rules
   * (doubled before a quote and before the closing quote). {@code %} and {@code !} are not escaped.
   */
  static String joinCmd(List<String> argv) {
    requireArgs(argv);
    StringBuilder sb = new StringBuilder();
    for (String arg : argv) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      if (!needsCmdQuotes(arg)) {
        sb.append(arg);
        continue;
      }
      sb.append('"');
      int backslashes = 0;
      for (int i = 0; i < arg.length(); i++) {
        char c = arg.charAt(i);
        if (c == '\\') {
          backslashes++;
          continue;
        }
        if (c == '"') {
          sb.append("\\".repeat(backslashes * 2 + 1)).append('"');
        } else {
          sb.append("\\".repeat(backslashes)).append(c);
        }
        backslashes = 0;
      }
      sb.append("\\".repeat(backslashes * 2)).append('"');
    }
    return sb.toString();
  }

  private static boolean needsCmdQuotes(String arg) {
    if (arg.isEmpty()) {
      return true;
    }
    for (int i = 0; i < arg.length(); i++) {
      switch (arg.charAt(i)) {
        case ' ', '\t', '\n', '\u000b', '"', '&', '|', '<', '>', '^', '(', ')' -> {
          return true;
        }
        default -> { }
      }
    }
    return false;
  }

  private static void requireArgs(List<String> argv) {
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("no command arguments");
    }
    for (String a : argv) {
      if (a.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("an argument contains a NUL character");
      }
    }
  }
}
