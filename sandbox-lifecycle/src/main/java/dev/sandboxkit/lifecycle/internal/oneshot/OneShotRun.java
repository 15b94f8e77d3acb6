package dev.sandboxkit.lifecycle.internal.oneshot;

import dev.sandboxkit.lifecycle.ExecutionRequest;
import dev.sandboxkit.lifecycle.ExecutionResult;
import dev.sandboxkit.lifecycle.FailurePhase;
import dev.sandboxkit.lifecycle.SandboxClosedException;
import dev.sandboxkit.lifecycle.SandboxException;
import dev.sandboxkit.lifecycle.internal.controlplane.HostSlot;
import dev.sandboxkit.lifecycle.internal.session.LiveSession;
import dev.sandboxkit.lifecycle.internal.session.ResultMapper;
import dev.sandboxkit.lifecycle.internal.session.SessionExecution;
import dev.sandboxkit.lifecycle.internal.session.SessionSettings;
import dev.sandboxkit.lifecycle.internal.session.SessionStart;
import dev.sandboxkit.lifecycle.internal.teardown.MarkerStore;
import dev.sandboxkit.lifecycle.internal.teardown.ReconcileResult;
import dev.sandboxkit.lifecycle.internal.vm.DriverSpi;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * One one-shot run: start a sandbox, run the request once, close it — the sandbox lifecycle of
 * {@code internal.session}, nothing of its own. Never throws for run failures: they are results.
 */
public final class OneShotRun {
  static final Duration SLOT_WAIT = Duration.ofSeconds(5);

  private final DriverSpi driver;
  private final SessionSettings settings;
  private final ExecutionRequest request;

  public OneShotRun(DriverSpi driver, SessionSettings settings, ExecutionRequest request) {
    this.driver = driver;
    this.settings = settings;
    this.request = request;
  }

  public ExecutionResult run() {
    LiveSession session;
    try {
      session = new SessionStart(driver, settings).start(request);
    } catch (SandboxException e) {
      return ExecutionResult.failure(e);
    }
    ExecutionResult r;
    try {
      SessionExecution e = session.admit(request);
      session.run(e, false);
      r = e.raw();
    } catch (SandboxException e) {
      r = ExecutionResult.failure(e);
    }
    String note = session.close(SandboxClosedException.Reason.CLOSED, "the one-shot run ended", "");
    return withNote(withNote(r, note), session.startNote());
  }

  static ExecutionResult withNote(ExecutionResult r, String note) {
    if (note == null || note.isEmpty()) {
      return r;
    }
    return new ExecutionResult(r.exitCode(), r.stdout(), r.stderr(), r.errorMessage(),
        ResultMapper.join(r.extendedError(), note), r.failurePhase());
  }

  /**
   * {@code sandboxkit cleanup}: the host slot, then reconcile only.
   *
   * @return one line per removed run dir ({@code removed DIR}) and the reconcile's note, or {@code
   *     nothing to clean up under ROOT}
   * @throws SandboxException REJECTED when cleanup refuses (a live sandbox owner holds the host slot,
   *     or the reconcile will not touch what it found: a live run, a sandbox it cannot prove it owns);
   *     LAUNCH_FAILED when the slot or the state folder cannot be used
   */
  public static String cleanup(DriverSpi driver, SessionSettings settings) throws SandboxException {
    Optional<HostSlot.Lease> lease;
    try {
      lease = driver.hostSlot().tryAcquire(SLOT_WAIT);
    } catch (IOException e) {
      throw new SandboxException(FailurePhase.LAUNCH_FAILED, "could not take the host slot", e.getMessage(), e);
    }
    if (lease.isEmpty()) {
      throw new SandboxException(FailurePhase.REJECTED, "another " + driver.name() + " sandbox owner holds the"
          + " host slot (waited " + SLOT_WAIT.toSeconds() + " s)", "close it or wait for its run to end, then retry");
    }
    try (HostSlot.Lease held = lease.get()) {
      MarkerStore store = new MarkerStore(settings.stateRoot());
      store.secureRoot();
      ReconcileResult rr = driver.reconcile(store, settings.forceReclaim());
      if (rr instanceof ReconcileResult.Busy busy) {
        throw new SandboxException(FailurePhase.REJECTED, busy.message(), "");
      }
      ReconcileResult.Proceed p = (ReconcileResult.Proceed) rr;
      StringJoiner lines = new StringJoiner("\n");
      p.note().ifPresent(lines::add);
      p.cleared().forEach(dir -> lines.add("removed " + dir));
      return lines.length() == 0 ? "nothing to clean up under " + store.root() : lines.toString();
    } catch (IOException e) {
      throw new SandboxException(FailurePhase.LAUNCH_FAILED, "cannot open the state directory "
          + settings.stateRoot(), e.getMessage(), e);
    }
  }
}
