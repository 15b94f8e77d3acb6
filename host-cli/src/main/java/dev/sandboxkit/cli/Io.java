package dev.sandboxkit.cli;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's standard streams and whether they are terminals. The command's output is
 * relayed as raw bytes to {@link #out()}/{@link #err()}; sandboxkit's own messages go through
 * picocli's writers, which wrap the same streams (UTF-8).
 *
 * @param stdinIsTerminal a terminal stdin is not forwarded (the command gets end of file at once)
 * @param stderrIsTerminal the boot progress line is shown only on a terminal stderr
 */
record Io(InputStream in, OutputStream out, OutputStream err, boolean stdinIsTerminal,
    boolean stderrIsTerminal) {

  /** The real process streams (unbuffered file descriptors, so relayed bytes are never held). */
  static Io system() {
    // A standard descriptor that was closed at exec (and reused by the JVM for its own files) is
    // /dev/null: the command reads end of file, output to it is discarded (StandardFds).
    boolean in = StandardFds.usable(0);
    boolean err = StandardFds.usable(2);
    return new Io(
        in ? new FileInputStream(FileDescriptor.in) : InputStream.nullInputStream(),
        StandardFds.usable(1) ? new StdSink(new FileOutputStream(FileDescriptor.out), Io::brokenPipe)
            : OutputStream.nullOutputStream(),
        err ? new StdSink(new FileOutputStream(FileDescriptor.err), Io::brokenPipe)
            : OutputStream.nullOutputStream(),
        in && isTerminal(0),
        err && isTerminal(2));
  }

  /**
   * The downstream pipe closed: end as a shell pipeline's writer would, quietly with 141. The
   * shutdown hooks kill the sandbox (as on Ctrl-C); {@link StdSink} drops every later write.
   */
  private static void brokenPipe() {
    System.exit(StdSink.BROKEN_PIPE_EXIT);
  }

  /**
   * Whether file descriptor {@code fd} is a terminal. Linux: {@code /proc/self/fd/N} points at a
   * {@code /dev/pts/*} or {@code /dev/tty*} device. Elsewhere the JDK only tells whether the
   * process has a console ({@code System.console() != null}, i.e. stdin and stdout are both
   * terminals), which is used as the answer for every fd.
   */
  static boolean isTerminal(int fd) {
    Path link = Path.of("/proc/self/fd/" + fd);
    try {
      if (Files.isSymbolicLink(link)) {
        String target = Files.readSymbolicLink(link).toString();
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty")
            || target.equals("/dev/console");
      }
    } catch (Exception e) {
      // fall through to the JDK heuristic
    }
    return System.console() != null;
  }
}
