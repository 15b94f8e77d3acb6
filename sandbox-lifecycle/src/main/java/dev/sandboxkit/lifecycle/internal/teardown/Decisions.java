package dev.sandboxkit.lifecycle.internal.teardown;

import dev.sandboxkit.lifecycle.internal.controlplane.HostSnapshot;
import dev.sandboxkit.lifecycle.internal.controlplane.ProcessProbe;
import dev.sandboxkit.lifecycle.internal.controlplane.VmProcId;
import dev.sandboxkit.lifecycle.internal.teardown.ReconcileDecision.BusyReason;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Pure ownership and reconcile decisions, mirroring docs/control-plane.md §3.2 and §4.3.
 * Identities compare by pid <b>and</b> creation time everywhere.
 */
public final class Decisions {

  private Decisions() {
  }

  /**
   * {@code decide_cleanup} (§3.2): NotLaunched → Noop; LaunchInFlight → LeakUnowned;
   * LaunchSucceededNoProof → Teardown([]) (enumerate); Owned(p) → Teardown(p).
   */
  public static CleanupDecision decideCleanup(VmOwnership ownership) {
    if (ownership instanceof VmOwnership.Owned o) {
      return new CleanupDecision.Teardown(o.proof());
    }
    if (ownership instanceof VmOwnership.LaunchSucceededNoProof) {
      return new CleanupDecision.Teardown(List.of());
    }
    if (ownership instanceof VmOwnership.LaunchInFlight) {
      return new CleanupDecision.LeakUnowned();
    }
    return new CleanupDecision.Noop();
  }

  /**
   * {@code plan_kill_set} (§3.2): what to kill given our ownership and the live snapshot.
   * <ul>
   *   <li>NotLaunched, LaunchInFlight: none, whatever the snapshot;</li>
   *   <li>Owned(proof), snapshot shares an identity with proof: proof in order, then the snapshot's
   *       extras in snapshot order, de-duplicated (singleton rule: every live process is ours);</li>
   *   <li>Owned(proof), snapshot empty or disjoint: proof only, never widened;</li>
   *   <li>LaunchSucceededNoProof: none for an empty snapshot, else the whole snapshot.</li>
   * </ul>
   *
   * @return empty = kill nothing
   */
  public static Optional<List<VmProcId>> planKillSet(VmOwnership ownership, List<VmProcId> snapshot) {
    if (ownership instanceof VmOwnership.Owned o) {
      if (!intersects(o.proof(), snapshot)) {
        return Optional.of(dedupe(o.proof()));
      }
      List<VmProcId> all = new ArrayList<>(o.proof());
      all.addAll(snapshot);
      return Optional.of(dedupe(all));
    }
    if (ownership instanceof VmOwnership.LaunchSucceededNoProof) {
      return snapshot.isEmpty() ? Optional.empty() : Optional.of(dedupe(snapshot));
    }
    return Optional.empty();
  }

  /**
   * {@code classify_reconcile} (§4.3), first matching row wins, with the W3 fix:
   * <ol>
   *   <li>probe failed (snapshot empty) → Busy(PROBE_FAILED), even with force;</li>
   *   <li>nothing present → Proceed;</li>
   *   <li>any launcher strongly alive → Busy(ACTIVE_RUN), even with force;</li>
   *   <li>(W3) a present process could not be identified → Busy(UNIDENTIFIABLE), even with force:
   *       it can neither be proven ours nor be killed by identity;</li>
   *   <li>some marker's proof intersects the live identities → ReclaimThenProceed(union of the
   *       intersecting markers' proofs, first-seen order; never the live snapshot);</li>
   *   <li>force → ForceReclaimThenProceed(live identities);</li>
   *   <li>otherwise Busy(FOREIGN_UNPROVABLE).</li>
   * </ol>
   *
   * @param snapshot one probe of the live set; empty when the probe failed
   * @param markers every marker dir under the root
   * @param force {@link ForceReclaim#requested}
   */
  public static ReconcileDecision classifyReconcile(Optional<HostSnapshot> snapshot, List<MarkerState> markers,
      boolean force) {
    if (snapshot.isEmpty()) {
      return new ReconcileDecision.Busy(BusyReason.PROBE_FAILED,
          "could not determine whether a sandbox is running (the host process probe failed);"
              + " refusing to launch. Retry; if it persists, check the sandbox service.");
    }
    HostSnapshot live = snapshot.get();
    if (!live.anyPresent()) {
      return new ReconcileDecision.Proceed();
    }
    if (markers.stream().anyMatch(MarkerState::launcherStronglyAlive)) {
      return new ReconcileDecision.Busy(BusyReason.ACTIVE_RUN,
          "another disposable sandbox run is active (its launcher is alive); wait for it to finish and retry");
    }
    if (!live.unidentifiable().isEmpty()) {
      return new ReconcileDecision.Busy(BusyReason.UNIDENTIFIABLE,
          "sandbox host process(es) " + live.unidentifiable() + " are running but cannot be opened"
              + " (exited meanwhile or owned by another user); refusing to launch or reclaim."
              + " Retry; if it persists, end them as their owner or an administrator.");
    }
    List<VmProcId> proof = new ArrayList<>();
    for (MarkerState m : markers) {
      if (intersects(m.proof(), live.identified())) {
        proof.addAll(m.proof());
      }
    }
    if (!proof.isEmpty()) {
      return new ReconcileDecision.ReclaimThenProceed(dedupe(proof));
    }
    if (force) {
      return new ReconcileDecision.ForceReclaimThenProceed(live.identified());
    }
    return new ReconcileDecision.Busy(BusyReason.FOREIGN_UNPROVABLE,
        "a sandbox is running that this run cannot prove it owns (host process(es) "
            + pids(live.identified()) + "); close it, or pass --force-reclaim"
            + " (SANDBOXKIT_FORCE_RECLAIM) to tear it down anyway (may kill a foreign sandbox)");
  }

  /**
   * A marker's launcher is "strongly alive" when its creation time is recorded <b>and</b> equals the
   * running process's (§2.2). A missing creation time counts as dead, deliberately.
   */
  public static boolean launcherStronglyAlive(Marker marker, ProcessProbe probe) {
    if (marker.launcherCreationTime() == null || marker.launcherPid() == 0) {
      return false;
    }
    OptionalLong live = probe.runningCreationTime(marker.launcherPid());
    return live.isPresent() && live.getAsLong() == marker.launcherCreationTime();
  }

  /** True when the two lists share an identity (pid and creation time). An empty list never intersects. */
  public static boolean intersects(List<VmProcId> a, List<VmProcId> b) {
    Set<VmProcId> set = new HashSet<>(a);
    return b.stream().anyMatch(set::contains);
  }

  /** De-duplicated copy in first-seen order. */
  public static List<VmProcId> dedupe(List<VmProcId> ids) {
    return List.copyOf(new LinkedHashSet<>(ids));
  }

  static String pids(List<VmProcId> ids) {
    return ids.stream().map(VmProcId::toString).collect(Collectors.joining(", ", "[", "]"));
  }
}
