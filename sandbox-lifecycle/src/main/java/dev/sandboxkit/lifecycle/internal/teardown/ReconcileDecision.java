package dev.sandboxkit.lifecycle.internal.teardown;

import dev.sandboxkit.lifecycle.internal.controlplane.VmProcId;
import java.util.List;

/** Result of {@link Decisions#classifyReconcile} (docs/control-plane.md §4.3). */
public sealed interface ReconcileDecision {

  /** No sandbox is running: clear dead run dirs, GC, launch. */
  record Proceed() implements ReconcileDecision {
  }

  /**
   * Touch nothing and refuse to launch.
   *
   * @param reason why
   * @param message what failed and what to do, with the pids where relevant
   */
  record Busy(BusyReason reason, String message) implements ReconcileDecision {
  }

  /**
   * An orphan of a dead run of ours is running: tear it down with {@code plan_kill_set(Owned(proof), live)}.
   *
   * @param proof de-duplicated union (first-seen order) of the intersecting markers' proofs
   */
  record ReclaimThenProceed(List<VmProcId> proof) implements ReconcileDecision {
    public ReclaimThenProceed {
      proof = List.copyOf(proof);
    }
  }

  /**
   * {@code --force-reclaim}: tear down an unprovable sandbox using the live snapshot as the kill set.
   *
   * @param snapshot the live identities, in enumeration order
   */
  record ForceReclaimThenProceed(List<VmProcId> snapshot) implements ReconcileDecision {
    public ForceReclaimThenProceed {
      snapshot = List.copyOf(snapshot);
    }
  }

  /** Why reconcile refused. */
  enum BusyReason {
    /** The host process probe failed: liveness unknown. */
    PROBE_FAILED,
    /** Another run's launcher is alive. */
    ACTIVE_RUN,
    /** Sandbox processes are present that cannot be opened (fail closed, W3). */
    UNIDENTIFIABLE,
    /** A sandbox runs that no marker proves is ours, and force was not requested. */
    FOREIGN_UNPROVABLE,
    /** A reclaim was decided but the orphan did not go away (StillRunning or ProbeFailed). */
    RECLAIM_FAILED
  }
}
