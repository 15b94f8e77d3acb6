package dev.sandboxkit.guest.log;

import io.netty.util.internal.logging.InternalLoggerFactory;
import java.io.PrintStream;

/**
 * The agent's logging: one line per record on stderr (see {@link LogLine}), INFO and above, or DEBUG
 * and above with {@code --verbose}. Entry point of the package.
 *
 * <p>The agent jar registers {@link GuestLoggerFinder} as the {@link System.LoggerFinder}, so
 * {@link System.Logger} records are written here directly, and Netty is pointed at {@link
 * NettyLoggerFactory}: java.util.logging (and the java.time and java.text formatting it brings) is
 * then never loaded on the agent's start-up path. When the finder is not in use (the agent's classes
 * on a plain class path, as in-process tests run them) or with {@code --verbose} (JNA's own debug
 * records go to java.util.logging), java.util.logging is configured with the same one-line format.
 */
public final class GuestLog {
  private static volatile System.Logger.Level threshold = System.Logger.Level.INFO;
  private static volatile PrintStream out = System.err;

  private GuestLog() {}

  /**
   * Routes Netty's records here; cheap (it does not set {@link System.LoggerFinder} up). Must run
   * before any other Netty class loads, on any thread; {@link #install} does it too.
   */
  public static void routeNetty() {
    InternalLoggerFactory.setDefaultFactory(NettyLoggerFactory.INSTANCE);
  }

  /** Sets the level and routes Netty's and, when needed, java.util.logging's records here. */
  public static void install(boolean verbose) {
    threshold = verbose ? System.Logger.Level.DEBUG : System.Logger.Level.INFO;
    routeNetty();
    if (verbose || !(System.LoggerFinder.getLoggerFinder() instanceof GuestLoggerFinder)) {
      OneLineFormatter.install(verbose);
    }
  }

  /** Whether a record at {@code level} is written. */
  static boolean enabled(System.Logger.Level level) {
    return level != System.Logger.Level.OFF && level.getSeverity() >= threshold.getSeverity();
  }

  /** Writes one record (the caller checked {@link #enabled}). */
  static void write(System.Logger.Level level, String loggerName, String message, Throwable thrown) {
    String line =
        LogLine.format(System.currentTimeMillis(), LogLine.levelName(level), loggerName, message, thrown);
    out.print(line);
  }

  /** Tests: where lines go and the level; returns the previous stream. */
  static PrintStream redirect(PrintStream to, System.Logger.Level level) {
    PrintStream old = out;
    out = to;
    threshold = level;
    return old;
  }
}
