package dev.sandboxkit.guest.job;

/**
 * The exact command line a Windows job gets: {@code cmd.exe /C <script_code>}, with the script
 * appended verbatim. Java's {@code ProcessBuilder} re-quotes arguments on Windows (it wraps an
 * argument holding spaces in quotes and doubles a trailing backslash), which changes what cmd.exe
 * parses; the agent therefore hands this string to {@code CreateProcessW} itself.
 */
public final class WindowsCommandLine {
  /** CreateProcessW's limit on lpCommandLine, terminating NUL included. */
  public static final int MAX_LENGTH = 32_767;
  static final String PREFIX = "cmd.exe /C ";

  private WindowsCommandLine() {}

  /**
   * The command line for a script.
   *
   * @throws IllegalArgumentException when the script holds a NUL character or the line would exceed
   *     {@link #MAX_LENGTH} characters (both numbers in the message)
   */
  public static String build(String scriptCode) {
    if (scriptCode.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          "script_code contains a NUL character at index " + scriptCode.indexOf('\0')
              + "; Windows command lines cannot carry it");
    }
    String line = PREFIX + scriptCode;
    if (line.length() + 1 > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "the command line would be " + (line.length() + 1) + " characters (NUL included), over the"
              + " Windows limit of " + MAX_LENGTH + "; shorten script_code or put it in a file");
    }
    return line;
  }

  /** The writable, NUL-terminated buffer CreateProcessW wants. */
  static char[] toBuffer(String line) {
    char[] b = new char[line.length() + 1];
    line.getChars(0, line.length(), b, 0);
    return b;
  }

  /** {@code <systemDirectory>\cmd.exe}: never resolved through PATH or the working directory. */
  static String cmdExePath(String systemDirectory) {
    return systemDirectory.endsWith("\\") ? systemDirectory + "cmd.exe" : systemDirectory + "\\cmd.exe";
  }
}
