package dev.sandboxkit.cli;

import dev.sandboxkit.cli.session.SelectorLookup;
import dev.sandboxkit.cli.session.Wire;
import dev.sandboxkit.lifecycle.FailurePhase;
import dev.sandboxkit.lifecycle.internal.startup.Prestart;
import dev.sandboxkit.lifecycle.internal.startup.Speedup;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;
import java.util.List;

/**
 * The head start of {@code sandboxkit exec}: while the main thread parses the arguments and reads
 * the session's record and secret (~20 ms of a cold JVM), a daemon thread on the second core
 * initialises what the client's first connection would otherwise initialise on the main thread:
 * the JDK's Unix-domain socket support, whose class initialiser creates a {@code SecureRandom}
 * (security providers, {@code java.security}: ~11 ms), then the client's own classes and the
 * exit frame's JSON decoding (the main thread needs it once the command has run). It opens one
 * unconnected socket and closes it at once.
 * Part of issue 12's target: {@code exec ID -- true} within the host-JVM floor + 40 ms.
 *
 * <p>Side-effect free as {@link RunHeadStart}: nothing the process prints, returns or leaves
 * behind depends on whether or when this thread runs; the main thread takes over no result from
 * it (at most it waits on a class initialiser the thread is running). Never throws. Off with the
 * {@code prestart} switch ({@link Speedup#PRESTART}).
 */
final class ExecHeadStart implements Runnable {
  private static final String CLI = "dev.sandboxkit.cli.";
  /** Classes the exec client initialises on its way to the daemon and back. */
  static final List<String> CLASSES = List.of(
      CLI + "ExecClient", CLI + "session.DaemonClient", CLI + "session.DaemonClient$Exec", CLI + "session.Wire",
      CLI + "session.ChannelStreams", CLI + "BoundedCapture", CLI + "ExitCodes", "dev.sandboxkit.lifecycle.ExecutionResult",
      "dev.sandboxkit.lifecycle.FailurePhase");

  ExecHeadStart() {
  }

  /** Starts the thread when {@code args} run an {@code exec} and {@code prestart} is on; returns it, or null. */
  static Thread startFor(String[] args) {
    if (args.length == 0 || !args[0].equals("exec") || !Speedup.PRESTART.on()) {
      return null;
    }
    Thread t = new Thread(new ExecHeadStart(), "sandboxkit-exec-prestart");
    t.setDaemon(true);
    t.start();
    return t;
  }

  @Override
  public void run() {
    SelectorLookup.skipServiceSearch(); // as the client does: it must see the same provider
    try {
      SocketChannel.open(StandardProtocolFamily.UNIX).close();
    } catch (IOException | RuntimeException e) {
      // only the head start is lost: the client opens its own socket and reports what fails
    }
    Prestart.initialise(CLASSES, ExecHeadStart.class.getClassLoader());
    try { // the exit frame's decoding, which the main thread reaches once the command has run
      Wire.parseExit(Wire.encodeExit(new Wire.Exit(0, "", "", FailurePhase.NONE)));
    } catch (IOException | RuntimeException e) {
      // only the head start is lost
    }
  }
}
