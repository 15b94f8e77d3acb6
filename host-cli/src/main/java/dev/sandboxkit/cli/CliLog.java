package dev.sandboxkit.cli;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.text.MessageFormat;
import java.util.ResourceBundle;

/**
 * The CLI's backend for the library's {@link System.Logger}s (a {@link System.LoggerFinder} found
 * through {@code META-INF/services}): every record is one line in the CLI's format, {@code
 * sandboxkit: warning: <message>}, control characters escaped, on the CLI's stderr. Without it the
 * JDK's default backend (java.util.logging) printed two-line records with a timestamp and a class
 * name that broke the one-line error format and ignored {@code -q}. Warnings and errors are shown
 * unless {@code -q}; {@code -v} adds informational records and the cause of a failure. The
 * JDK's own loggers (the system modules) are not routed here.
 */
public final class CliLog extends System.LoggerFinder {
  private static volatile PrintWriter err = SandboxkitCommand.writer(new OutputStream() {
    @Override
    public void write(int b) {
      System.err.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      System.err.write(b, off, len);
    }
  });
  private static volatile boolean quiet;
  private static volatile boolean verbose;
  private static volatile boolean progress;

  /** Where the records go (the CLI's stderr writer). */
  static void output(PrintWriter writer) {
    err = writer;
  }

  /**
   * Whether progress notes are shown: on a terminal stderr (where the progress line is) or with
   * {@code -v}; a script's stderr gets none.
   */
  static void progress(boolean shown) {
    progress = shown;
  }

  /** {@code -q}: nothing; {@code -v}: informational records too. */
  static void verbosity(boolean q, boolean v) {
    quiet = q && !v;
    verbose = v;
  }

  @Override
  public System.Logger getLogger(String name, Module module) {
    return new Line(name);
  }

  /**
   * True when a record of {@code logger} at {@code level} is printed: the library's progress notes
   * ({@link dev.sandboxkit.lifecycle.internal.ProgressLog}) where the progress line would be (a
   * terminal stderr) or with {@code -v}, never with {@code -q}.
   */
  static boolean shown(String logger, System.Logger.Level level) {
    if (level == System.Logger.Level.INFO && dev.sandboxkit.lifecycle.internal.ProgressLog.NAME.equals(logger)) {
      return !quiet && (progress || verbose);
    }
    return shown(level);
  }

  /** True when a record at {@code level} is printed. */
  static boolean shown(System.Logger.Level level) {
    if (quiet || level == System.Logger.Level.OFF) {
      return false;
    }
    int min = verbose ? System.Logger.Level.INFO.getSeverity() : System.Logger.Level.WARNING.getSeverity();
    return level.getSeverity() >= min;
  }

  /** The line a record prints as. */
  static String format(System.Logger.Level level, String message, Throwable thrown) {
    StringBuilder sb = new StringBuilder("sandboxkit: ");
    if (level.getSeverity() >= System.Logger.Level.WARNING.getSeverity()) {
      sb.append(level == System.Logger.Level.ERROR ? "error: " : "warning: ");
    } else {
      sb.append("note: ");
    }
    sb.append(Text.escape(message == null ? "" : message.strip()));
    if (thrown != null && verbose) {
      sb.append(" (").append(thrown.getClass().getName()).append(": ")
          .append(Text.escape(String.valueOf(thrown.getMessage()))).append(')');
    }
    return sb.toString();
  }

  private static void print(System.Logger.Level level, String message, Throwable thrown) {
    PrintWriter w = err;
    synchronized (w) {
      w.println(format(level, message, thrown));
      w.flush();
    }
  }

  /** One logger: formats and prints. */
  private record Line(String name) implements System.Logger {
    @Override
    public String getName() {
      return name;
    }

    @Override
    public boolean isLoggable(Level level) {
      return shown(name, level);
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
      if (shown(name, level)) {
        print(level, msg, thrown);
      }
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
      if (shown(name, level)) {
        String msg = format;
        if (format != null && params != null && params.length > 0) {
          try {
            msg = MessageFormat.format(format, params);
          } catch (IllegalArgumentException e) {
            msg = format;
          }
        }
        print(level, msg, null);
      }
    }
  }
}
