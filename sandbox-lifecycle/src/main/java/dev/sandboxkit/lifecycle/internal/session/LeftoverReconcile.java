package dev.sandboxkit.lifecycle.internal.session;

import dev.sandboxkit.lifecycle.FailurePhase;
import dev.sandboxkit.lifecycle.internal.vm.DriverSpi;
import dev.sandboxkit.lifecycle.SandboxException;
import dev.sandboxkit.lifecycle.internal.controlplane.HostSlot;
import dev.sandboxkit.lifecycle.internal.teardown.MarkerStore;
import dev.sandboxkit.lifecycle.internal.teardown.ReconcileResult;
import java.nio.file.Path;

/**
 * One run's reconcile of the leftovers of earlier runs (docs/architecture.md §3, step 3), at most once per run.
 *
 * <p>When it happens depends on the driver. A slot-holding driver (Windows Sandbox: one VM per host)
 * must reclaim an orphan before it can launch at all, so it reconciles before the run dir exists. A
 * driver whose sandboxes are independent ({@link HostSlot#NONE}: bubblewrap) reconciles right after
 * its own launch, with its proof on disk, so the work overlaps the guest's start-up instead of
 * preceding it; nothing of another run can block or be mistaken for ours, and the driver gets a store
 * view without our run dir ({@link MarkerStore#excluding}). If such a run fails before that point, it
 * reconciles after its own teardown instead, so every run still cleans up after earlier ones.
 */
final class LeftoverReconcile {
  /** The logger, created on first use: the launch path never starts the logging backend. */
  private static final class Log {
    static final System.Logger LOG = System.getLogger(LeftoverReconcile.class.getName());
  }

  private final DriverSpi driver;
  private final boolean forceReclaim;
  private boolean done;
  private String note = "";

  LeftoverReconcile(DriverSpi driver, boolean forceReclaim) {
    this.driver = driver;
    this.forceReclaim = forceReclaim;
  }

  /** Whether this driver's sandboxes are independent of each other, so reconcile may follow the launch. */
  static boolean independent(DriverSpi driver) {
    return driver.hostSlot() == HostSlot.NONE;
  }

  /** Whether it must run before the run dir exists (a slot-holding driver). */
  boolean first() {
    return !independent(driver);
  }

  boolean done() {
    return done;
  }

  /** The driver's note (what was reclaimed or kept), or what went wrong after a failed run; "" if none. */
  String note() {
    return note;
  }

  /**
   * Reconciles through {@code store}; a busy host is a LAUNCH_FAILED with the driver's message.
   * Driver runtime exceptions propagate (the caller turns them into an internal error).
   */
  void run(MarkerStore store) throws SandboxException {
    done = true;
    ReconcileResult rr = driver.reconcile(store, forceReclaim);
    if (rr instanceof ReconcileResult.Busy busy) {
      throw new SandboxException(FailurePhase.LAUNCH_FAILED, "the host is busy: " + busy.message(),
          "reason " + busy.reason());
    }
    note = ((ReconcileResult.Proceed) rr).note().orElse("");
  }

  /**
   * The catch-up after a run that failed before reconciling (never throws): the run has already
   * failed, so what goes wrong here only becomes the note.
   */
  void afterFailure(MarkerStore store, Path runDir) {
    try {
      run(store.excluding(runDir));
    } catch (SandboxException e) {
      note = e.getMessage();
    } catch (RuntimeException e) {
      Log.LOG.log(System.Logger.Level.ERROR, "reconciling earlier runs failed", e);
      note = "reconciling earlier runs failed: " + e;
    }
  }
}
