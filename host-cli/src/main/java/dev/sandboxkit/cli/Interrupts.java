package dev.sandboxkit.cli;

import java.io.PrintWriter;
import sun.misc.Signal;

/**
 * Ctrl-C (SIGINT), SIGTERM and SIGHUP during a run: one line saying so (none with {@code -q}), then
 * the exit code a shell shows for that signal (130, 143, 129), as the JVM's own handler would exit.
 * The shutdown hooks kill the sandbox. Without this the interrupted run went on to report the
 * sandbox's death as its own failure ("the connection to the guest failed ..."): after the line,
 * every write to stdout and stderr is dropped ({@link StdSink#silence()}).
 */
final class Interrupts {
  private Interrupts() {}

  /** Installs the handlers for this run. Where a signal cannot be handled, the JVM's default stays. */
  static void install(PrintWriter err, boolean quiet) {
    for (String name : new String[] {"INT", "TERM", "HUP"}) {
      try {
        Signal.handle(new Signal(name), s -> interrupted(err, quiet, s.getName(), 128 + s.getNumber()));
      } catch (IllegalArgumentException | UnsupportedOperationException e) {
        // not available on this platform (HUP on Windows) or reserved by the JVM (-Xrs)
      }
    }
  }

  /** The line printed for signal {@code name}. */
  static String line(String name) {
    return "sandboxkit: " + (name.equals("INT") ? "interrupted (Ctrl-C)" : "terminated (SIG" + name + ")")
        + ": the sandbox is torn down";
  }

  private static void interrupted(PrintWriter err, boolean quiet, String name, int code) {
    if (!quiet && !StdSink.broken()) {
      err.println(line(name));
      err.flush();
    }
    StdSink.silence();
    System.exit(code);
  }
}
