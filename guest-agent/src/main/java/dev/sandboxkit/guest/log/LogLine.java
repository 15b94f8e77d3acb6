package dev.sandboxkit.guest.log;

/**
 * The agent's log line, {@code 2025-01-01T10:00:00.123Z INFO    sandboxkit-guest Agent: message},
 * built without java.time, java.text or java.util.logging: loading those costs the agent tens of
 * milliseconds of start-up (pure functions, for tests).
 */
final class LogLine {
  private LogLine() {}

  /** The whole line, with the platform line separator. */
  static String format(long epochMillis, String level, String loggerName, String message, Throwable thrown) {
    String name = loggerName == null ? "" : loggerName;
    StringBuilder sb = new StringBuilder(64 + (message == null ? 4 : message.length()));
    appendTimestamp(sb, epochMillis);
    sb.append(' ').append(level);
    for (int i = level.length(); i < 7; i++) {
      sb.append(' ');
    }
    sb.append(" sandboxkit-guest ")
        .append(name, name.lastIndexOf('.') + 1, name.length())
        .append(": ")
        .append(String.valueOf(message).replace('\n', ' '));
    if (thrown != null) {
      sb.append(" (").append(thrown).append(')');
    }
    return sb.append(System.lineSeparator()).toString();
  }

  /** The level names java.util.logging used for each {@link System.Logger.Level} (kept for log readers). */
  static String levelName(System.Logger.Level level) {
    switch (level) {
      case ERROR:
        return "SEVERE";
      case WARNING:
        return "WARNING";
      case INFO:
        return "INFO";
      case DEBUG:
        return "FINE";
      case TRACE:
        return "FINER";
      default:
        return level.name();
    }
  }

  /** {@code yyyy-MM-ddTHH:mm:ss.SSSZ} in UTC. */
  static void appendTimestamp(StringBuilder sb, long epochMillis) {
    long days = Math.floorDiv(epochMillis, 86_400_000L);
    long ms = Math.floorMod(epochMillis, 86_400_000L);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    long z = days + 719_468;
    long era = Math.floorDiv(z, 146_097);
    long doe = z - era * 146_097;
    long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long day = doy - (153 * mp + 2) / 5 + 1;
    long month = mp < 10 ? mp + 3 : mp - 9;
    long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    pad(sb, year, 4).append('-');
    pad(sb, month, 2).append('-');
    pad(sb, day, 2).append('T');
    pad(sb, ms / 3_600_000, 2).append(':');
    pad(sb, ms / 60_000 % 60, 2).append(':');
    pad(sb, ms / 1000 % 60, 2).append('.');
    pad(sb, ms % 1000, 3).append('Z');
  }

  private static StringBuilder pad(StringBuilder sb, long v, int width) {
    String s = Long.toString(v);
    for (int i = s.length(); i < width; i++) {
      sb.append('0');
    }
    return sb.append(s);
  }

  /**
   * Fills {@code {0}}, {@code {1}}, ... with {@code String.valueOf(param)}, the subset of {@link
   * java.text.MessageFormat} the agent's messages use: {@code ''} is a quote, text between single
   * quotes is literal, a placeholder without a parameter or with a format type is kept as written.
   * Numbers print without grouping ({@code 1000}, not {@code 1,000}).
   */
  static String substitute(String pattern, Object[] params) {
    if (pattern == null || params == null || params.length == 0) {
      return pattern;
    }
    StringBuilder sb = new StringBuilder(pattern.length() + 16 * params.length);
    boolean quoted = false;
    int n = pattern.length();
    for (int i = 0; i < n; i++) {
      char c = pattern.charAt(i);
      if (c == '\'') {
        if (i + 1 < n && pattern.charAt(i + 1) == '\'') {
          sb.append('\'');
          i++;
        } else {
          quoted = !quoted;
        }
      } else if (c == '{' && !quoted) {
        int close = pattern.indexOf('}', i + 1);
        int index = close < 0 ? -1 : argumentIndex(pattern, i + 1, close);
        if (index >= 0 && index < params.length) {
          sb.append(params[index]);
          i = close;
        } else {
          sb.append(c);
        }
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** The argument number written between {@code from} and {@code to}, or -1. */
  private static int argumentIndex(String s, int from, int to) {
    if (from == to || to - from > 3) {
      return -1;
    }
    int v = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }
}
