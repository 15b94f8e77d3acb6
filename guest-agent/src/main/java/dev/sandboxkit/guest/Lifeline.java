package dev.sandboxkit.guest;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The host's lifeline ({@code --lifeline stdin}). The host holds the write end of the agent's stdin
 * pipe for the whole run and never writes to it; nothing else holds it. End of file (or a read
 * error) therefore means the host is gone, however it died: even a SIGKILL that landed before
 * bubblewrap armed its parent-death signal closes the pipe. A daemon thread blocks on the read and
 * then runs the agent's "host gone" action once (kill the running job's tree, exit with {@link
 * ExitCodes#LIFELINE}). Bytes the host might write are read and ignored.
 */
final class Lifeline {
  /** Where the lifeline comes from. */
  enum Mode {
    /** No lifeline (Windows Sandbox: the host tears the VM down). */
    NONE,
    /** Standard input: a pipe whose write end the host holds. */
    STDIN;

    static Mode parse(String s) {
      switch (s.toLowerCase(Locale.ROOT)) {
        case "none":
          return NONE;
        case "stdin":
          return STDIN;
        default:
          throw new IllegalArgumentException("--lifeline must be stdin or none, got '" + s + "'");
      }
    }
  }

  private static final System.Logger LOG = System.getLogger(Lifeline.class.getName());

  private final InputStream in;
  private final Consumer<String> onClosed;
  private final AtomicBoolean tripped = new AtomicBoolean();

  private Lifeline(InputStream in, Consumer<String> onClosed) {
    this.in = in;
    this.onClosed = onClosed;
  }

  /**
   * Starts watching {@code in} on a daemon thread named {@code lifeline}.
   *
   * @param onClosed runs once, on the watcher thread, with why the lifeline ended ("end of file" or
   *     the read error)
   */
  static Lifeline watch(InputStream in, Consumer<String> onClosed) {
    Lifeline l = new Lifeline(in, onClosed);
    Thread t = new Thread(l::loop, "lifeline");
    t.setDaemon(true);
    t.start();
    return l;
  }

  /** Whether the lifeline has ended (the host is gone). */
  boolean tripped() {
    return tripped.get();
  }

  private void loop() {
    byte[] sink = new byte[256];
    String why;
    try {
      while (in.read(sink) >= 0) {
        // the host never writes; anything it does is ignored
      }
      why = "end of file";
    } catch (IOException e) {
      why = "read error: " + e.getMessage();
    } catch (RuntimeException e) {
      why = "read failed: " + e;
    }
    if (tripped.compareAndSet(false, true)) {
      LOG.log(System.Logger.Level.DEBUG, "lifeline ended: {0}", why);
      onClosed.accept(why);
    }
  }
}
