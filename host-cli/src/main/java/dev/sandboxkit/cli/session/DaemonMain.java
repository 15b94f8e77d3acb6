package dev.sandboxkit.cli.session;

import dev.sandboxkit.lifecycle.SandboxException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The daemon process ({@code sandboxkit __daemon --root DIR --id ID}, hidden; started detached by
 * {@code start}). Reads its secret from stdin (never argv or the environment), starts the session's
 * sandbox, writes {@code daemon.json} (ready), serves the socket until STOP / idle / the sandbox
 * closing, then records the teardown outcome. Its stdout and stderr are {@code daemon.log}.
 * Exit codes: 0 served and stopped; 1 bad invocation or state; 2 the sandbox did not start.
 */
public final class DaemonMain {
  public static final String VERB = "__daemon";
  private static final int MAX_SECRET = 256;

  private DaemonMain() {}

  public static int run(String[] args, SessionSandbox.Factory factory, InputStream stdin, PrintStream log) {
    if (args.length != 5 || !args[0].equals(VERB) || !args[1].equals("--root") || !args[3].equals("--id")) {
      log.println("sandboxkit daemon: usage: " + VERB + " --root DIR --id ID");
      return 1;
    }
    String id = args[4];
    if (!SessionId.isToken(id)) { // B18: never trust the id, even from our own starter
      log.println("sandboxkit daemon: malformed id " + SessionId.quote(id));
      return 1;
    }
    String secret;
    try {
      secret = readSecret(stdin);
    } catch (IOException e) {
      log.println("sandboxkit daemon: cannot read the secret from stdin: " + e.getMessage());
      return 1;
    }
    SessionStore store = new SessionStore(Path.of(args[2]));
    SessionRecord rec;
    try {
      store.secureRoot();
      rec = store.read(id).orElseThrow(() -> new SessionException(SessionException.Kind.UNKNOWN,
          "no session " + id, "start it with sandboxkit start"));
      if (!MessageDigest.isEqual(store.secret(id).getBytes(StandardCharsets.US_ASCII),
          secret.getBytes(StandardCharsets.US_ASCII))) {
        log.println("sandboxkit daemon: the secret on stdin is not this session's");
        return 1;
      }
    } catch (SessionException e) {
      log.println("sandboxkit daemon: " + e.getMessage());
      return 1;
    }
    DaemonInfo info = DaemonInfo.self();
    AtomicReference<DaemonServer> server = new AtomicReference<>();
    try {
      store.writeDaemon(id, info);
      SessionSandbox sandbox;
      try {
        sandbox = factory.start(rec, () -> {
          DaemonServer s = server.get();
          if (s != null) {
            s.sandboxClosed();
          }
        });
      } catch (SandboxException e) {
        log.println("sandboxkit daemon: the sandbox did not start (" + e.phase() + "): " + e.getMessage());
        if (!e.detail().isBlank()) {
          log.println("  " + e.detail().strip().replace("\n", "\n  "));
        }
        store.writeDaemon(id, info.withTeardown("start failed: " + e.getMessage()));
        return 2;
      }
      DaemonServer s = new DaemonServer(store.socket(id), secret, sandbox,
          Files.getOwner(store.root(), LinkOption.NOFOLLOW_LINKS), Duration.ofMillis(rec.idleTimeoutMs()));
      server.set(s);
      Thread hook = new Thread(() -> s.shutdown("terminated by a signal"), "sk-daemon-hook");
      Runtime.getRuntime().addShutdownHook(hook);
      if (!sandbox.isOpen()) {
        s.sandboxClosed();
      }
      s.bind();
      store.writeDaemon(id, info.withReady(true));
      log.println("sandboxkit daemon: sandbox " + id + " ready (pid " + info.pid() + ")");
      Optional<String> outcome = s.serve();
      store.writeDaemon(id, info.withTeardown(outcome.isEmpty() ? DaemonInfo.CONFIRMED : outcome.get()));
      log.println("sandboxkit daemon: stopped (" + s.stopReason() + "); teardown " + outcome.orElse(DaemonInfo.CONFIRMED));
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // already shutting down
      }
      return 0;
    } catch (IOException e) {
      log.println("sandboxkit daemon: " + e);
      DaemonServer s = server.get();
      Optional<String> outcome = s != null ? s.shutdown("failed: " + e.getMessage()) : Optional.empty();
      try {
        store.writeDaemon(id, info.withTeardown(outcome.orElse(DaemonInfo.CONFIRMED)));
      } catch (IOException ignored) {
        // the log has it
      }
      return 1;
    }
  }

  /** The secret: one line of hex digits on stdin, at most {@value #MAX_SECRET} bytes. */
  static String readSecret(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0 && c != '\n') {
      if (b.size() >= MAX_SECRET) {
        throw new IOException("longer than " + MAX_SECRET + " bytes");
      }
      b.write(c);
    }
    String s = b.toString(StandardCharsets.US_ASCII).strip();
    if (s.isEmpty() || !s.chars().allMatch(ch -> (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'))) {
      throw new IOException("not a hex secret");
    }
    return s;
  }
}
