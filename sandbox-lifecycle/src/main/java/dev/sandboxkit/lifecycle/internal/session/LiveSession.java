package dev.sandboxkit.lifecycle.internal.session;

import dev.sandboxkit.lifecycle.ExecutionRequest;
import dev.sandboxkit.lifecycle.ExecutionResult;
import dev.sandboxkit.lifecycle.FailurePhase;
import dev.sandboxkit.lifecycle.SandboxBusyException;
import dev.sandboxkit.lifecycle.SandboxClosedException;
import dev.sandboxkit.lifecycle.SandboxClosedException.Reason;
import dev.sandboxkit.lifecycle.SandboxException;
import dev.sandboxkit.lifecycle.SandboxPolicy;
import dev.sandboxkit.lifecycle.internal.bridge.Deadline;
import dev.sandboxkit.lifecycle.internal.bridge.ExecCall;
import dev.sandboxkit.lifecycle.internal.bridge.ExecOutcome;
import dev.sandboxkit.lifecycle.internal.bridge.GuestConnection;
import dev.sandboxkit.lifecycle.internal.controlplane.HostSlot;
import dev.sandboxkit.lifecycle.internal.controlplane.Ids;
import dev.sandboxkit.lifecycle.internal.teardown.TeardownGuard;
import dev.sandboxkit.lifecycle.internal.vm.DriverSpi;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A started sandbox: runs one execution at a time on the held control channel (fresh data
 * channels after each), and tears everything down exactly once — on {@link #close}, on its idle
 * timeout or maximum lifetime, when the guest or the sandbox dies, or when an execution's
 * host-held deadline passes. Thread-safe.
 *
 * <p>Admission rule: a second execution while one runs fails at once with {@link
 * SandboxBusyException} (never waits), so outputs of two executions cannot mix.
 */
public final class LiveSession {
  /** How long to wait for StreamsReady and the three fresh data channels after an Exit. */
  static final Duration RECONNECT_TIMEOUT = Duration.ofSeconds(30);
  /** How long a closing thread waits for the running execution's thread to report. */
  static final Duration EXEC_WIND_DOWN = Duration.ofSeconds(10);
  /** The logger, created on first use: the launch path never starts the logging backend. */
  private static final class Log {
    static final System.Logger LOG = System.getLogger(LiveSession.class.getName());
  }

  private final DriverSpi driver;
  private final SessionSettings settings;
  private final SafeListener listener;
  private final HostSlot.Lease lease;
  private final Path runDir;
  private final TeardownGuard guard;
  private final DriverSpi.Instance instance;
  private final GuestConnection conn;
  private final String startNote;
  private final String id;
  private final SessionTimers timers;
  private final Object lock = new Object();
  private final CompletableFuture<String> torndown = new CompletableFuture<>();
  private SessionExecution running; // guarded by lock
  private SandboxClosedException closedBy; // guarded by lock; set once
  /** Set when the sandbox's process exited by itself (DriverSpi.Instance#onExit). */
  private volatile boolean processExited;

  LiveSession(DriverSpi driver, SessionSettings settings, SafeListener listener, HostSlot.Lease lease,
      Path runDir, TeardownGuard guard, DriverSpi.Instance instance, GuestConnection conn, String startNote) {
    this.driver = driver;
    this.settings = settings;
    this.listener = listener;
    this.lease = lease;
    this.runDir = runDir;
    this.guard = guard;
    this.instance = instance;
    this.conn = conn;
    this.startNote = startNote;
    this.id = runDir.getFileName().toString();
    this.timers = new SessionTimers(id, settings.idleTimeout(), settings.maxLifetime(),
        this::closeIfIdle, () -> close(Reason.MAX_LIFETIME, "the sandbox reached its maximum lifetime of "
            + settings.maxLifetime().map(Duration::toString).orElse("?"), ""));
    timers.idle();
    guard.onShutdown(this::closeForShutdown);
    instance.onExit(this::sandboxExited); // last: every field is set
  }

  public String id() {
    return id;
  }

  public String driverName() {
    return driver.name();
  }

  public SandboxPolicy policy() {
    return settings.policy();
  }

  public Set<String> capabilities() {
    return conn.capabilities();
  }

  /** What the start's reconcile reported about earlier runs ("" if nothing). */
  public String startNote() {
    return startNote;
  }

  public boolean isOpen() {
    synchronized (lock) {
      return closedBy == null;
    }
  }

  /**
   * Admits {@code request} as the one running execution; throws when the sandbox is closed
   * ({@link SandboxClosedException}, once its teardown is over), at once when it is busy ({@link SandboxBusyException}) or the request cannot be
   * run here (REJECTED). Nothing is sent yet: {@link #run} does that.
   */
  public SessionExecution admit(ExecutionRequest request) throws SandboxException {
    SandboxClosedException closed;
    synchronized (lock) {
      closed = closedBy;
    }
    if (closed != null) {
      // Thrown once the teardown is over: a caller who then starts another sandbox finds this one
      // gone (its host slot released, its processes and run dir too).
      awaitTeardown();
      throw copy(closed);
    }
    ExecutionChecks.guest(conn.capabilities(), request);
    ExecutionChecks.frameSize(driver.platform(), request);
    SessionExecution e = new SessionExecution(this,
        ExecutionChecks.spec(driver.platform(), request, Ids.uuid().toString()), request.captureLimit());
    synchronized (lock) {
      if (closedBy != null) {
        closed = closedBy;
      } else if (running != null) {
        throw new SandboxBusyException(id, running.id());
      } else {
        running = e;
        timers.busy();
        return e;
      }
    }
    awaitTeardown();
    throw copy(closed);
  }

  /**
   * Runs an admitted execution on the calling thread and completes its result. {@code reconnect}:
   * whether to ready fresh data channels for a next execution afterwards (a one-shot run does not).
   */
  public void run(SessionExecution e, boolean reconnect) {
    e.runner(Thread.currentThread());
    listener.execStart(e.id());
    long oomBefore = instance.oomKills(); // to tell a command the memory limit killed (MemoryLimitNote)
    ExecOutcome o;
    try {
      o = new ExecCall(e.captureLimit(), settings.deadlineGrace(), ExecCall.DRAIN_GRACE)
          .execute(conn, e.spec(), e.cancel);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      o = new ExecOutcome(ExecOutcome.Kind.FAILED, -1, "the calling thread was interrupted", "", new byte[0],
          new byte[0]);
      close(Reason.CLOSED, "the sandbox was closed: the thread running an execution was interrupted", "");
    } catch (RuntimeException re) {
      SandboxException se = SessionStart.internalError(re);
      o = new ExecOutcome(ExecOutcome.Kind.FAILED, -1, se.getMessage(), se.detail(), new byte[0], new byte[0]);
    }
    ExecutionResult mapped = MemoryLimitNote.apply(ResultMapper.map(o, o.kind() == ExecOutcome.Kind.WATCHDOG
        ? "the host tore the sandbox down at the deadline" : ""), instance.oomKills() - oomBefore,
        settings.policy().limits());
    switch (o.kind()) {
      case EXITED, CANCELLED -> finishExited(e, mapped, reconnect);
      case WATCHDOG -> {
        listener.execEnd(e.id(), mapped);
        close(Reason.GUEST_DIED, "the sandbox was torn down: " + o.errorMessage(),
            "an execution's timeout is held by the host; the guest did not end the command in time");
        release(e);
        e.complete(mapped, mapped);
      }
      case FAILED -> finishFailed(e, o, mapped);
      default -> throw new IllegalStateException("unknown outcome " + o.kind());
    }
  }

  private void finishExited(SessionExecution e, ExecutionResult r, boolean reconnect) {
    String broken = null;
    if (reconnect && isOpen()) {
      try {
        conn.reconnectData(Deadline.after(RECONNECT_TIMEOUT));
      } catch (IOException ex) {
        broken = ex.getMessage();
      }
    }
    listener.execEnd(e.id(), r);
    if (broken != null && isOpen()) {
      close(Reason.GUEST_DIED, "the guest agent stopped serving: reconnecting stdin, stdout and stderr after"
          + " an execution failed: " + broken, diagnostics());
    }
    release(e);
    e.complete(r, r);
  }

  private void finishFailed(SessionExecution e, ExecOutcome o, ExecutionResult mapped) {
    SandboxClosedException external;
    synchronized (lock) {
      external = closedBy;
    }
    if (external == null) {
      // Nobody closed us: the guest, its connection or the sandbox went away.
      SandboxClosedException died = new SandboxClosedException(Reason.GUEST_DIED,
          "the guest agent or the sandbox died during the execution: " + ResultMapper.oneLine(o.errorMessage()),
          ResultMapper.join(o.detail(), diagnostics()));
      listener.execFailed(e.id(), died);
      close(died);
      release(e);
      e.fail(died, mapped);
      return;
    }
    awaitTeardown();
    if (e.cancelledByTeardown) {
      ExecutionResult cancelled = new ExecutionResult(-1, o.stdout(), o.stderr(), "the execution was cancelled",
          "the guest cannot cancel a command (no 'cancel' capability), so the sandbox was torn down",
          FailurePhase.CANCELLED);
      listener.execEnd(e.id(), cancelled);
      release(e);
      e.complete(cancelled, cancelled);
      return;
    }
    listener.execFailed(e.id(), external);
    release(e);
    e.fail(copy(external), mapped);
  }

  private void release(SessionExecution e) {
    boolean exited;
    synchronized (lock) {
      if (running == e) {
        running = null;
      }
      if (closedBy == null) {
        timers.idle();
      }
      exited = processExited && closedBy == null;
    }
    if (exited) {
      closeExited(); // the sandbox died as this execution ended, after its result was in
    }
  }

  /**
   * The sandbox's process exited by itself (on the JDK's reaper thread: hand over, never block). A
   * running execution notices for itself (its channels end); an idle sandbox is closed here, so it
   * is torn down and {@link #isOpen()} turns false without waiting for the next call.
   */
  private void sandboxExited() {
    processExited = true;
    synchronized (lock) {
      if (closedBy != null || running != null) {
        return;
      }
    }
    Thread t = new Thread(this::closeExited, "sandboxkit-exited-" + id.substring(0, Math.min(8, id.length())));
    t.setDaemon(true);
    t.start();
  }

  private void closeExited() {
    close(Reason.GUEST_DIED, "the sandbox exited while no execution ran (the guest agent or bwrap died)",
        diagnostics());
  }

  /** Execution.cancel(): Cancel on the wire when the guest supports it, else tear the sandbox down. */
  void cancel(SessionExecution e) {
    if (conn.capabilities().contains(ExecutionChecks.CANCEL)) {
      e.cancel.request();
      return;
    }
    synchronized (lock) {
      if (running != e || closedBy != null) {
        return;
      }
      e.cancelledByTeardown = true;
    }
    close(Reason.CLOSED, "the sandbox was torn down to cancel execution " + e.id(),
        "the guest cannot cancel a command (no 'cancel' capability): tearing the sandbox down is the only way");
  }

  private void closeIfIdle() {
    synchronized (lock) {
      if (running != null || closedBy != null) {
        return;
      }
    }
    close(Reason.IDLE_TIMEOUT, "the sandbox was idle for " + settings.idleTimeout().map(Duration::toString)
        .orElse("?") + " and closed itself", "");
  }

  /** Closes with {@code reason}; see {@link #close(SandboxClosedException)}. */
  public String close(Reason reason, String summary, String detail) {
    return close(new SandboxClosedException(reason, summary, detail));
  }

  /**
   * Closes the sandbox once (later calls wait for that teardown and return its note): the
   * running execution fails with {@code why}, the channels close, the sandbox is torn down through
   * the guard (confirmed gone before the marker goes), the host slot is released. Never throws.
   *
   * @return "" when the sandbox is confirmed gone, else the note saying what was kept
   */
  public String close(SandboxClosedException why) {
    return close(why, settings.teardownBudget(), true);
  }

  /**
   * The JVM is exiting (SIGTERM, Ctrl-C, System.exit) with this sandbox open: the guard's shutdown
   * hook closes it here, so the hook keeps every guarantee of {@link #close}: the sandbox is killed
   * and confirmed gone before its marker and run dir go, and the channels, the driver's resources
   * and the host slot are released. It waits at most the guard's shutdown budget for the
   * confirmation (else the marker stays for the next run's reconcile) and not for the running
   * execution, which fails with {@link Reason#CLOSED} on its own thread.
   */
  void closeForShutdown() {
    close(new SandboxClosedException(Reason.CLOSED, "the sandbox was closed: the JVM is shutting down",
        "the process received SIGTERM or Ctrl-C, or called System.exit, with the sandbox open"),
        guard.shutdownBudget(), false);
  }

  private String close(SandboxClosedException why, Duration budget, boolean awaitRunning) {
    SessionExecution wasRunning;
    synchronized (lock) {
      if (closedBy != null) {
        wasRunning = null;
        why = null;
      } else {
        closedBy = why;
        wasRunning = running;
      }
    }
    if (why == null) {
      return awaitTeardown(); // someone else is closing it
    }
    timers.stop();
    conn.close();
    String note;
    try {
      note = SessionTeardown.run(listener, guard, runDir, instance, budget);
    } finally {
      lease.close();
    }
    torndown.complete(note);
    if (awaitRunning && wasRunning != null && !wasRunning.runsOn(Thread.currentThread())) {
      awaitQuietly(wasRunning);
    }
    return note;
  }

  private void awaitQuietly(SessionExecution e) {
    try {
      e.result().get(EXEC_WIND_DOWN.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException ex) {
      // the execution reports for itself
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
    }
  }

  private String awaitTeardown() {
    try {
      return torndown.get(settings.teardownBudget().plusSeconds(30).toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private String diagnostics() {
    try {
      DriverSpi.Liveness live = instance.liveness();
      return live.alive() ? "" : live.diagnostics();
    } catch (RuntimeException e) {
      Log.LOG.log(System.Logger.Level.DEBUG, "liveness probe failed: {0}", e.toString());
      return "";
    }
  }

  private static SandboxClosedException copy(SandboxClosedException e) {
    return new SandboxClosedException(e.reason(), e.getMessage(), e.detail());
  }
}
