package dev.sandboxkit.cli;

import dev.sandboxkit.cli.session.SelectorLookup;
import dev.sandboxkit.cli.session.SessionStore;
import dev.sandboxkit.cli.session.Wire;
import dev.sandboxkit.lifecycle.FailurePhase;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * {@code sandboxkit exec ID -- COMMAND}'s client path, run once end to end against a stand-in
 * daemon in this JVM (a Unix socket in a temporary session folder that admits the execution,
 * relays one line of output and reports exit 0). The launcher's class-list recording run calls it
 * (issue 12), so the CLI's class-data archive holds the exec path's classes too: a {@code run}
 * never loads them, and an {@code exec} that finds a class outside the archive opens and reads
 * the jar first. Nothing of a real session is touched; the folder is removed.
 */
final class ExecRehearsal {
  static final String ID = "0000e8ec";
  private static final String SECRET = "rehearsal";

  private ExecRehearsal() {}

  /** The exec's exit code (0 when the path worked). */
  static int run() throws IOException {
    SelectorLookup.skipServiceSearch(); // as the exec client does before its first socket
    new ExecHeadStart().run(); // an exec's head start, here on this thread: its classes too
    Sessions.store(); // what exec resolves the session in (not touched: the stand-in has its own)
    // Not Files.createTempDirectory: its random name starts a SecureRandom, which exec never does.
    Path root = Files.createDirectory(Path.of(System.getProperty("java.io.tmpdir")).resolve("sk-exec-rehearsal-"
        + ProcessHandle.current().pid() + "-" + System.nanoTime()),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    try {
      SessionStore store = new SessionStore(root);
      Files.createDirectories(store.dir(ID));
      Files.writeString(store.secretFile(ID), SECRET, StandardCharsets.US_ASCII);
      try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
        server.bind(UnixDomainSocketAddress.of(store.socket(ID)));
        Thread daemon = new Thread(() -> serveOnce(server), "sk-exec-rehearsal");
        daemon.setDaemon(true);
        daemon.start();
        Io io = new Io(InputStream.nullInputStream(), OutputStream.nullOutputStream(),
            OutputStream.nullOutputStream(), false, false);
        return ExecCommand.direct(io, new String[] {"exec", ID, "--", "true"}, store);
      }
    } finally {
      try (Stream<Path> all = Files.walk(root)) {
        all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** Answers one EXEC as the daemon does: OK, a line of stdout after the client's end of stdin, exit 0. */
  private static void serveOnce(ServerSocketChannel server) {
    try (SocketChannel ch = server.accept()) {
      InputStream in = new BufferedInputStream(Channels.newInputStream(ch), 8192);
      OutputStream out = Channels.newOutputStream(ch);
      String line = Wire.readLine(in, Wire.MAX_LINE);
      if (line == null || !line.equals("EXEC " + SECRET + " " + Wire.VERSION)) {
        Wire.writeLine(out, "ERR auth");
        return;
      }
      Wire.readRequest(in);
      Wire.writeLine(out, "OK exec-0");
      Wire.Frame f;
      while ((f = Wire.readFrame(in)) != null && !(f.kind() == Wire.STDIN && f.payload().length == 0)) {
        // the client's stdin, up to its end
      }
      byte[] hi = "rehearsal\n".getBytes(StandardCharsets.US_ASCII);
      Wire.writeFrame(out, Wire.STDOUT, hi, 0, hi.length);
      byte[] exit = Wire.encodeExit(new Wire.Exit(0, "", "", FailurePhase.NONE));
      Wire.writeFrame(out, Wire.EXIT, exit, 0, exit.length);
    } catch (IOException e) {
      // the client reports it: its exit code is not 0
    }
  }
}
