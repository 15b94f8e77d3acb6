package dev.sandboxkit.guest.log;

import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * The same one-line format for java.util.logging, where the agent still uses it (see {@link
 * GuestLog}): parameters are filled by java.util.logging ({@link java.text.MessageFormat}).
 */
final class OneLineFormatter extends Formatter {
  @Override
  public String format(LogRecord r) {
    return LogLine.format(
        r.getMillis(), r.getLevel().getName(), r.getLoggerName(), formatMessage(r), r.getThrown());
  }

  /** Routes java.util.logging (and so System.Logger, when it ends there) to stderr, one line per record. */
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
  }
}
