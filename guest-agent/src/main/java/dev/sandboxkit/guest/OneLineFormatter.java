package dev.sandboxkit.guest;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/** {@code 2025-01-01T10:00:00.123Z INFO  logger-simple-name: message} on one line. */
final class OneLineFormatter extends Formatter {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  /** Held strongly: java.util.logging forgets the level of a logger nobody references. */
  private static final java.util.logging.Logger NETTY = java.util.logging.Logger.getLogger("io.netty");

  @Override
  public String format(LogRecord r) {
    String name = r.getLoggerName() == null ? "" : r.getLoggerName();
    name = name.substring(name.lastIndexOf('.') + 1);
    StringBuilder sb =
        new StringBuilder()
            .append(TIME.format(Instant.ofEpochMilli(r.getMillis())))
            .append(' ')
            .append(String.format("%-7s", r.getLevel().getName()))
            .append(" sandboxkit-guest ")
            .append(name)
            .append(": ")
            .append(formatMessage(r).replace('\n', ' '));
    if (r.getThrown() != null) {
      sb.append(" (").append(r.getThrown()).append(')');
    }
    return sb.append(System.lineSeparator()).toString();
  }

  /** Routes java.util.logging (and so System.Logger) to stderr, one line per record. */
  static void install(boolean verbose) {
    java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
    for (java.util.logging.Handler h : root.getHandlers()) {
      root.removeHandler(h);
    }
    java.util.logging.ConsoleHandler h = new java.util.logging.ConsoleHandler();
    h.setFormatter(new OneLineFormatter());
    java.util.logging.Level level = verbose ? java.util.logging.Level.FINE : java.util.logging.Level.INFO;
    h.setLevel(level);
    root.setLevel(level);
    root.addHandler(h);
    // Netty's own debug chatter is not useful in the sandbox log.
    NETTY.setLevel(java.util.logging.Level.INFO);
  }
}
