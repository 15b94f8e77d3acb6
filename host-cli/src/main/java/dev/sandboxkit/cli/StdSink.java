package dev.sandboxkit.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The process's stdout or stderr as a shell pipeline expects it: when the reader has gone (a write
 * fails with a broken pipe, as in {@code sandboxkit run -- yes | head -2}), the run ends at once,
 * quietly, with exit code 141 (128 + SIGPIPE), as a process killed by SIGPIPE would. The JVM ignores
 * SIGPIPE, so without this the command kept running and its output was read and discarded forever.
 * After a broken pipe every write to either stream is dropped, so nothing more is printed while the
 * process ends.
 */
final class StdSink extends OutputStream {
  /** The exit code for a closed downstream pipe: 128 + SIGPIPE (13). */
  static final int BROKEN_PIPE_EXIT = 141;

  /** Set once either stream hit a broken pipe (the whole process is ending). */
  private static final AtomicBoolean BROKEN = new AtomicBoolean();

  private final OutputStream out;
  private final Runnable onBrokenPipe;

  /**
   * @param onBrokenPipe run once, by the first writer that sees the broken pipe (the real process:
   *     {@code System.exit(141)}, whose shutdown hook kills the sandbox)
   */
  StdSink(OutputStream out, Runnable onBrokenPipe) {
    this.out = out;
    this.onBrokenPipe = onBrokenPipe;
  }

  /** True once a write failed with a broken pipe. */
  static boolean broken() {
    return BROKEN.get();
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (BROKEN.get()) {
      return;
    }
    try {
      out.write(b, off, len);
    } catch (IOException e) {
      if (isBrokenPipe(e)) {
        if (BROKEN.compareAndSet(false, true)) {
          onBrokenPipe.run();
        }
        return;
      }
      throw e;
    }
  }

  @Override
  public void flush() throws IOException {
    if (!BROKEN.get()) {
      out.flush();
    }
  }

  /** EPIPE as the JDK reports it ({@code strerror}: "Broken pipe"). */
  static boolean isBrokenPipe(IOException e) {
    String m = e.getMessage();
    return m != null && m.toLowerCase(Locale.ROOT).contains("broken pipe");
  }

  /** The process is ending for another reason (a signal): drop every later write. */
  static void silence() {
    BROKEN.set(true);
  }

  /** For tests in one JVM: forget an earlier broken pipe. */
  static void resetForTests() {
    BROKEN.set(false);
  }
}
