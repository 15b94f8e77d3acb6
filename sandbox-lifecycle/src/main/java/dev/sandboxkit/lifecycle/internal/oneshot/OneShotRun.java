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

  /** {@code sandboxkit cleanup}: slot, then reconcile only. */
  public static String cleanup(DriverSpi driver, SessionSettings settings) throws SandboxException {
    Optional<HostSlot.Lease> lease;
    try {
      lease = driver.hostSlot().tryAcquire(SLOT_WAIT);
    } catch (IOException e) {
      throw new SandboxException(FailurePhase.LAUNCH_FAILED, "could not take the host slot", e.getMessage(), e);
    }
    if (lease.isEmpty()) {
      throw new SandboxException(FailurePhase.LAUNCH_FAILED, "a " + driver.name() + " sandbox is running",
          "retry when it has finished");
    }
    try (HostSlot.Lease held = lease.get()) {
      MarkerStore store = new MarkerStore(settings.stateRoot());
      store.secureRoot();
      ReconcileResult rr = driver.reconcile(store, settings.forceReclaim());
      if (rr instanceof ReconcileResult.Busy) {
        throw new SandboxException(FailurePhase.LAUNCH_FAILED, ((ReconcileResult.Busy) rr).message(), "");
      }
      ReconcileResult.Proceed p = (ReconcileResult.Proceed) rr;
      return "removed " + p.cleared().size() + " leftover run dir(s) under " + store.root()
          + p.note().map(n -> "; " + n).orElse("");
    } catch (IOException e) {
      throw new SandboxException(FailurePhase.LAUNCH_FAILED, "cannot open the state directory "
          + settings.stateRoot(), e.getMessage(), e);
    }
  }
}
