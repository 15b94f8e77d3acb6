package dev.sandboxkit.lifecycle.internal.vm.windows;

/**
 * Quoting for the two command lines the driver writes: a line of {@code bootstrap.cmd} (parsed by
 * cmd.exe, then by the MSVC runtime of {@code java.exe}) and the logon command.
 *
 * <p>Inside double quotes cmd.exe treats {@code & | < > ( ) ^} literally but still expands {@code
 * %}; in a batch file {@code %%} is a literal {@code %}. A {@code "} cannot be passed safely through
 * both parsers (cmd does not know the MSVC backslash escape, so an escaped quote flips its quote
 * state), and Windows paths cannot contain one, so it is rejected. Non-ASCII is rejected because
 * cmd.exe reads batch files in the console's OEM code page.
 */
final class CmdQuoting {
  private CmdQuoting() {}

  /**
   * One argument for a line of a batch file: bare when it holds only safe characters, else
   * double-quoted (trailing backslashes doubled for the MSVC parser); {@code %} doubled.
   *
   * @throws IllegalArgumentException for {@code "}, control characters or non-ASCII
   */
  static String batchArgument(String arg, String what) {
    requireBatchSafe(arg, what);
    String escaped = arg.replace("%", "%%");
    if (!arg.isEmpty() && arg.chars().allMatch(CmdQuoting::bare)) {
      return escaped;
    }
    int trailing = 0;
    while (trailing < escaped.length() && escaped.charAt(escaped.length() - 1 - trailing) == '\\') {
      trailing++;
    }
    return "\"" + escaped + "\\".repeat(trailing) + "\"";
  }

  /** Rejects what a batch file line cannot carry safely; see the class comment. */
  static void requireBatchSafe(String s, String what) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"') {
        throw new IllegalArgumentException(what + " must not contain a double quote (\"): " + s);
      }
      if (c < 0x20 || c == 0x7F) {
        throw new IllegalArgumentException(String.format(
            "%s must not contain control character U+%04X", what, (int) c));
      }
      if (c > 0x7E) {
        throw new IllegalArgumentException(what + " must be plain ASCII (cmd.exe reads batch files in the"
            + " OEM code page); rename it: " + s);
      }
    }
  }

  /**
   * Rejects what cannot appear inside the quoted part of a command line: {@code "}, {@code %},
   * {@code !}, control characters.
   */
  static void requirePlain(String s, String what) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '%' || c == '!' || c < 0x20 || c == 0x7F) {
        throw new IllegalArgumentException(String.format(
            "%s must not contain the character U+%04X: %s", what, (int) c, s));
      }
    }
  }

  private static boolean bare(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '-' || c == '_' || c == '.' || c == ':' || c == '\\' || c == '/' || c == '+' || c == '='
        || c == '@' || c == ',';
  }
}
