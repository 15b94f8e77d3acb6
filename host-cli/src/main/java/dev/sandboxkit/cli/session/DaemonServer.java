package dev.sandboxkit.cli.session;

import dev.sandboxkit.lifecycle.ExecutionResult;
import dev.sandboxkit.lifecycle.FailurePhase;
import dev.sandboxkit.lifecycle.SandboxException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * The daemon's server: one owner-only Unix socket in the session folder. Every connection is
 * checked before anything else: the peer's uid (SO_PEERCRED) must be ours, then the secret
 * (constant-time). At most {@value #PRE_AUTH} connections may be unauthenticated at once (more are
 * closed unanswered), a request line must arrive within {@link #REQUEST_DEADLINE} and is capped.
 * One execution at a time: a second EXEC is answered {@code ERR busy} at once (never queued).
 * STOP closes the sandbox, answers with the teardown outcome, then the server ends.
 */
public final class DaemonServer {
  static final int PRE_AUTH = 32;
  static final Duration REQUEST_DEADLINE = Duration.ofSeconds(10);
  private static final System.Logger LOG = System.getLogger(DaemonServer.class.getName());

  private final Path socket;
  private final byte[] secret;
  private final SessionSandbox sandbox;
  private final UserPrincipal owner;
  private final Duration idleTimeout;
  private final Semaphore preAuth = new Semaphore(PRE_AUTH);
  private final ExecutorService workers = Executors.newCachedThreadPool(r -> thread(r, "sk-daemon-conn"));
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(r -> thread(r, "sk-daemon-timer"));
  private final AtomicReference<Current> current = new AtomicReference<>();
  private final AtomicLong execCounter = new AtomicLong();
  private final AtomicLong lastActivity = new AtomicLong(System.nanoTime());
  private final CountDownLatch done = new CountDownLatch(1);
  private final Object stopLock = new Object();
  private volatile Optional<String> teardown;
  private volatile boolean stopping;
  private volatile String stopReason = "";
  private ServerSocketChannel server;

  private record Current(String id, SessionSandbox.Running running) {}

  public DaemonServer(Path socket, String secret, SessionSandbox sandbox, UserPrincipal owner,
      Duration idleTimeout) {
    this.socket = socket;
    this.secret = secret.getBytes(StandardCharsets.US_ASCII);
    this.sandbox = sandbox;
    this.owner = owner;
    this.idleTimeout = idleTimeout;
  }

  private static Thread thread(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Binds the socket (owner-only: the folder is 0700 and the socket 0600). */
  public void bind() throws IOException {
    Files.deleteIfExists(socket);
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    try {
      Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: the owner-only folder protects it
    }
    if (!idleTimeout.isZero()) {
      long period = Math.max(10, Math.min(1000, idleTimeout.toMillis() / 4));
      timer.scheduleAtFixedRate(this::checkIdle, period, period, TimeUnit.MILLISECONDS);
    }
  }

  /** Serves until STOP, the idle timeout or the sandbox closing; returns the teardown outcome. */
  public Optional<String> serve() {
    Thread acceptor = thread(this::acceptLoop, "sk-daemon-accept");
    acceptor.start();
    try {
      done.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      shutdown("interrupted");
    }
    return teardown;
  }

  /** Why the server ended (STOP, idle timeout, the sandbox closed, a signal); empty while it serves. */
  public String stopReason() {
    return stopReason;
  }

  /** The sandbox closed by itself: end the server (called by the factory's onClosed). */
  public void sandboxClosed() {
    shutdown("the sandbox closed");
  }

  private void checkIdle() {
    if (current.get() == null && !stopping
        && System.nanoTime() - lastActivity.get() > idleTimeout.toNanos()) {
      LOG.log(System.Logger.Level.INFO, "idle for " + idleTimeout.toMillis() + " ms: stopping");
      shutdown("idle timeout");
    }
  }

  /** Closes the sandbox once; the outcome is kept for STOP's answer and the daemon's record. */
  Optional<String> shutdown(String why) {
    synchronized (stopLock) {
      if (teardown == null) {
        stopping = true;
        stopReason = why;
        LOG.log(System.Logger.Level.INFO, "shutting down: " + why);
        try {
          server.close();
        } catch (IOException | RuntimeException e) {
          // already closed
        }
        teardown = sandbox.close();
        try {
          Files.deleteIfExists(socket);
        } catch (IOException e) {
          // the folder goes with the session
        }
        timer.shutdownNow();
        done.countDown();
      }
      return teardown;
    }
  }

  private void acceptLoop() {
    while (!stopping) {
      SocketChannel ch;
      try {
        ch = server.accept();
      } catch (IOException e) {
        if (!stopping) {
          LOG.log(System.Logger.Level.WARNING, "accept failed: " + e);
          shutdown("the socket failed");
        }
        return;
      }
      if (!preAuth.tryAcquire()) {
        close(ch); // too many unauthenticated connections: dropped unanswered
        continue;
      }
      workers.execute(() -> handle(ch));
    }
  }

  private void handle(SocketChannel ch) {
    boolean released = false;
    ScheduledFuture<?> deadline = null;
    try {
      if (!peerIsOwner(ch)) {
        return;
      }
      deadline = timer.schedule(() -> close(ch), REQUEST_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
      InputStream in = new BufferedInputStream(ChannelStreams.in(ch), 8192);
      OutputStream out = ChannelStreams.out(ch);
      String line;
      try {
        line = Wire.readLine(in, Wire.MAX_LINE);
      } catch (Wire.LineTooLongException e) {
        Wire.writeLine(out, "ERR request too large");
        return;
      }
      if (line == null) {
        return;
      }
      String[] parts = line.strip().split(" ", 3);
      if (parts.length < 2 || !MessageDigest.isEqual(parts[1].getBytes(StandardCharsets.US_ASCII), secret)) {
        // what was presented is never logged: it may be a secret of something else
        String verb = parts[0].matches("PING|STOP|EXEC|CANCEL") ? parts[0] : "an unknown verb";
        LOG.log(System.Logger.Level.WARNING, "refused a request (" + verb + ") with a wrong or missing secret");
        Wire.writeLine(out, "ERR auth");
        return;
      }
      String arg = parts.length > 2 ? parts[2] : "";
      switch (parts[0]) {
        case "PING" -> Wire.writeLine(out, "PONG");
        case "STOP" -> {
          deadline.cancel(false);
          Optional<String> outcome = shutdown("STOP");
          Wire.writeLine(out, outcome.isEmpty() ? "OK stopped"
              : "ERR teardown " + outcome.get().replaceAll("[\\r\\n]", " "));
        }
        case "CANCEL" -> {
          Current c = current.get();
          if (c != null && c.id().equals(arg)) {
            c.running().cancel();
            Wire.writeLine(out, "OK");
          } else {
            Wire.writeLine(out, "ERR no such execution");
          }
        }
        case "EXEC" -> {
          if (!Wire.VERSION.equals(arg)) {
            Wire.writeLine(out, "ERR protocol client v" + arg.replaceAll("[^0-9A-Za-z.]", "?")
                + " != daemon v" + Wire.VERSION);
            return;
          }
          Wire.ExecRequest req;
          try {
            req = Wire.readRequest(in);
          } catch (IOException e) {
            Wire.writeLine(out, "ERR bad request: " + String.valueOf(e.getMessage()).replaceAll("[\\r\\n]", " "));
            return;
          }
          deadline.cancel(false);
          preAuth.release();
          released = true;
          exec(ch, in, out, req);
        }
        default -> Wire.writeLine(out, "ERR unknown command");
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.DEBUG, "connection ended: " + e);
    } finally {
      if (deadline != null) {
        deadline.cancel(false);
      }
      if (!released) {
        preAuth.release();
      }
      close(ch);
    }
  }

  /** SO_PEERCRED: the connecting process must run as the user who owns this daemon. */
  private boolean peerIsOwner(SocketChannel ch) {
    try {
      UnixDomainPrincipal peer = ch.getOption(ExtendedSocketOptions.SO_PEERCRED);
      if (peer.user().equals(owner)) {
        return true;
      }
      LOG.log(System.Logger.Level.WARNING, "refused a connection from user " + peer.user().getName());
    } catch (IOException | UnsupportedOperationException e) {
      LOG.log(System.Logger.Level.WARNING, "refused a connection: cannot read its credentials: " + e);
    }
    return false;
  }

  private void exec(SocketChannel ch, InputStream in, OutputStream out, Wire.ExecRequest req) throws IOException {
    if (stopping || !sandbox.isOpen()) {
      Wire.writeLine(out, "ERR closed");
      return;
    }
    String execId = "exec-" + execCounter.incrementAndGet();
    Current placeholder = new Current(execId, NOT_STARTED);
    if (!current.compareAndSet(null, placeholder)) {
      Wire.writeLine(out, "ERR busy");
      return;
    }
    try {
      lastActivity.set(System.nanoTime());
      ExecRelay relay = new ExecRelay(out);
      SessionSandbox.Running running;
      try {
        running = sandbox.start(req, relay.stdin(), relay.stdout(), relay.stderr());
      } catch (SessionSandbox.Busy e) {
        Wire.writeLine(out, "ERR busy");
        return;
      } catch (SandboxException e) {
        if (!sandbox.isOpen()) {
          Wire.writeLine(out, "ERR closed");
          return;
        }
        relay.admit("OK " + execId);
        relay.exit(ExecutionResult.failure(e));
        return;
      }
      current.set(new Current(execId, running));
      relay.admit("OK " + execId);
      relay.pumpClientFrames(in, running::cancel);
      ExecutionResult r;
      try {
        r = running.result().get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        running.cancel();
        return;
      } catch (java.util.concurrent.ExecutionException e) {
        Throwable c = e.getCause();
        r = c instanceof SandboxException se ? ExecutionResult.failure(se)
            : new ExecutionResult(-1, null, null, "the execution failed: " + c, "", FailurePhase.POST_LAUNCH_FAILED);
      }
      current.set(null); // admissible again before the client sees the exit frame
      lastActivity.set(System.nanoTime());
      relay.exit(r);
    } finally {
      current.compareAndSet(placeholder, null);
      Current c = current.get();
      if (c != null && c.id().equals(execId)) {
        current.set(null);
      }
      lastActivity.set(System.nanoTime());
    }
  }

  private static final SessionSandbox.Running NOT_STARTED = new SessionSandbox.Running() {
    @Override
    public java.util.concurrent.CompletableFuture<ExecutionResult> result() {
      return new java.util.concurrent.CompletableFuture<>();
    }

    @Override
    public void cancel() {}
  };

  private static void close(SocketChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      // nothing to do
    }
  }
}
