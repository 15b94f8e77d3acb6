package dev.sandboxkit.cli.session;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The session lifecycle both front ends use ({@code start/exec/stop/ls} and mxc's state-aware
 * phases): provision (record + secret), start (spawn the daemon, wait until ready), stop (the
 * daemon closes its sandbox and reports the teardown; the record says stopped only once the
 * sandbox is confirmed gone — B2), reconcile (sessions whose daemon died).
 */
public final class SessionManager {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Duration DAEMON_EXIT_WAIT = Duration.ofSeconds(60);

  /** Tears down what dead sessions' sandboxes left, by the library's proof; a problem if it refused. */
  public interface LibraryReconcile {
    Optional<String> reconcile(String driver);
  }

  private final SessionStore store;
  private final Duration readyDeadline;
  private final LibraryReconcile libraryReconcile;

  public SessionManager(SessionStore store, Duration readyDeadline, LibraryReconcile libraryReconcile) {
    this.store = store;
    this.readyDeadline = readyDeadline;
    this.libraryReconcile = libraryReconcile;
  }

  public SessionStore store() {
    return store;
  }

  /** Creates a session record (state provisioned) with a fresh secret. */
  public SessionRecord provision(String origin, String driver, Optional<String> name, List<String> rw,
      List<String> ro, List<String> deny, String network, long idleTimeoutMs) throws SessionException {
    return provision(origin, driver, name, rw, ro, deny, network, idleTimeoutMs,
        dev.sandboxkit.lifecycle.ResourceLimits.DEFAULT);
  }

  /** {@link #provision(String, String, Optional, List, List, List, String, long)} with resource limits. */
  public SessionRecord provision(String origin, String driver, Optional<String> name, List<String> rw,
      List<String> ro, List<String> deny, String network, long idleTimeoutMs,
      dev.sandboxkit.lifecycle.ResourceLimits limits) throws SessionException {
    byte[] s = new byte[32];
    RANDOM.nextBytes(s);
    return store.create(id -> new SessionRecord(id, name, origin, driver, SessionState.PROVISIONED,
        System.currentTimeMillis(), rw, ro, deny, network, idleTimeoutMs, limits), HexFormat.of().formatHex(s));
  }

  /** True while session {@code id}'s daemon runs. */
  public boolean daemonAlive(String id) {
    return store.daemon(id).map(DaemonInfo::alive).orElse(false);
  }

  /**
   * Starts the daemon of a provisioned or stopped session and waits until its sandbox is ready;
   * the record says started only then. Any failure leaves no daemon running (B1).
   */
  public void start(String id) throws SessionException {
    SessionRecord rec = require(id);
    if (daemonAlive(id)) {
      throw new SessionException(SessionException.Kind.ALREADY_STARTED, "sandbox " + id + " is already started",
          "run commands in it with exec, or stop it first");
    }
    store.write(rec.withState(SessionState.STARTING));
    Process p = DaemonLauncher.spawn(store, id, store.secret(id));
    DaemonLauncher.awaitReady(store, id, p, readyDeadline);
    try {
      store.write(rec.withState(SessionState.STARTED));
    } catch (SessionException e) {
      DaemonLauncher.stop(p);
      throw e;
    }
  }

  /** The record of {@code id}, which must exist. */
  public SessionRecord require(String id) throws SessionException {
    return store.read(id).orElseThrow(() -> new SessionException(SessionException.Kind.UNKNOWN,
        "no sandbox " + id, "'sandboxkit ls' lists the sandboxes"));
  }

  /** A client for the running daemon of {@code id}. */
  public DaemonClient client(String id) throws SessionException {
    return new DaemonClient(store.socket(id), store.secret(id));
  }

  /**
   * Stops session {@code id}'s sandbox. Returns normally only when it is confirmed gone (then the
   * record says stopped); otherwise the record keeps saying started so the proof is never dropped.
   *
   * @return false when it was not running (nothing to stop)
   */
  public boolean stop(String id) throws SessionException {
    SessionRecord rec = require(id);
    Optional<DaemonInfo> info = store.daemon(id);
    boolean wasRunning = info.map(DaemonInfo::alive).orElse(false);
    if (wasRunning) {
      Optional<String> problem = stopDaemon(id, info.get());
      if (problem.isPresent()) {
        throw new SessionException(SessionException.Kind.DAEMON, "sandbox " + id
            + " may still be running: " + problem.get(), "run 'sandboxkit cleanup', then 'sandboxkit stop " + id + "' again");
      }
    } else if (rec.state() == SessionState.STARTED || rec.state() == SessionState.STARTING) {
      boolean confirmed = info.map(i -> DaemonInfo.CONFIRMED.equals(i.teardown())).orElse(false);
      if (!confirmed) { // the daemon died: its sandbox died with it; clear the library's leftovers by proof
        Optional<String> refused = libraryReconcile.reconcile(rec.driver());
        if (refused.isPresent()) {
          throw new SessionException(SessionException.Kind.DAEMON, "the daemon of sandbox " + id
              + " died and its leftovers could not be cleared: " + refused.get(), "run 'sandboxkit cleanup'");
        }
      }
      wasRunning = rec.state() == SessionState.STARTED;
    }
    store.write(rec.withState(SessionState.STOPPED));
    return wasRunning;
  }

  private Optional<String> stopDaemon(String id, DaemonInfo info) throws SessionException {
    String reply;
    try {
      reply = client(id).request("STOP", "");
    } catch (DaemonClient.Refused e) {
      return Optional.of(e.reason());
    } catch (IOException e) {
      // not answering: SIGTERM makes it close its sandbox too
      info.handle().ifPresent(ProcessHandle::destroy);
      reply = "";
    }
    Optional<ProcessHandle> h = info.handle();
    if (h.isPresent()) {
      try {
        h.get().onExit().get(DAEMON_EXIT_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        return Optional.of("its daemon (pid " + info.pid() + ") did not exit within "
            + DAEMON_EXIT_WAIT.toSeconds() + " s after STOP");
      }
    }
    if (reply.startsWith("OK")) {
      return Optional.empty();
    }
    String t = store.daemon(id).map(DaemonInfo::teardown).orElse("");
    return DaemonInfo.CONFIRMED.equals(t) ? Optional.empty()
        : Optional.of(t.isEmpty() ? "the daemon ended without confirming the teardown" : t);
  }

  /** Stops (if needed) and removes session {@code id}. */
  public void remove(String id) throws SessionException {
    SessionRecord rec = require(id);
    stop(id);
    store.delete(id, rec.name());
  }

  /** One {@code ls} row; {@code state} as shown (running, gone, ...). */
  public record Row(String id, Optional<String> name, String driver, String state, long ageMs,
      String policy, String origin) {}

  public List<Row> list() {
    List<Row> rows = new ArrayList<>();
    long now = System.currentTimeMillis();
    for (SessionStore.Listed l : store.list()) {
      if (l.record().isEmpty()) {
        rows.add(new Row(l.id(), Optional.empty(), "?", "corrupt", 0, l.problem().orElse(""), "?"));
        continue;
      }
      SessionRecord r = l.record().get();
      rows.add(new Row(r.id(), r.name(), r.driver(), shownState(r), now - r.createdMs(),
          r.policySummary(), r.origin()));
    }
    return rows;
  }

  String shownState(SessionRecord r) {
    return switch (r.state()) {
      case PROVISIONED -> "provisioned";
      case STOPPED -> "stopped";
      case STARTED -> daemonAlive(r.id()) ? "running"
          : store.daemon(r.id()).map(i -> DaemonInfo.CONFIRMED.equals(i.teardown())).orElse(false)
              ? "stopped" : "gone"; // stopped by itself (idle timeout) vs died
      case STARTING -> daemonAlive(r.id()) ? "starting"
          : store.daemon(r.id()).isPresent() || System.currentTimeMillis() - r.createdMs() > readyDeadline.toMillis()
              ? "gone" : "starting";
    };
  }

  /**
   * Sessions whose daemon is gone: their leftovers are cleared by the library's proof, then a
   * {@code start}ed session's folder is removed and an mxc one is marked stopped (it can be started
   * again). Unreadable records are reported, never deleted.
   *
   * @return what was done or found, one item a line
   */
  public List<String> reconcile() {
    List<String> lines = new ArrayList<>();
    for (SessionStore.Listed l : store.list()) {
      if (l.record().isEmpty()) {
        lines.add("session " + l.id() + " is unreadable (" + l.problem().orElse("") + "); remove "
            + store.root().resolve(l.id()) + " by hand if it is not in use");
        continue;
      }
      SessionRecord r = l.record().get();
      String shown = shownState(r);
      boolean endedByItself = shown.equals("stopped") && r.state() == SessionState.STARTED;
      if (!shown.equals("gone") && !endedByItself) {
        continue;
      }
      try {
        stop(r.id());
        if ("cli".equals(r.origin())) {
          store.delete(r.id(), r.name());
          lines.add("removed session " + r.id() + (endedByItself ? " (it had stopped: idle timeout)"
              : " (its daemon had died)"));
        } else {
          lines.add("marked sandbox " + SessionId.MXC_PREFIX + r.id() + " stopped (its daemon had died)");
        }
      } catch (SessionException e) {
        lines.add("session " + r.id() + ": " + e.getMessage());
      }
    }
    return lines;
  }
}
