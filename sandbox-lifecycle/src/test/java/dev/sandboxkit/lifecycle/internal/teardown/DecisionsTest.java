package dev.sandboxkit.lifecycle.internal.teardown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.lifecycle.internal.controlplane.HostSnapshot;
import dev.sandboxkit.lifecycle.internal.controlplane.VmProcId;
import dev.sandboxkit.lifecycle.internal.teardown.ReconcileDecision.BusyReason;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class DecisionsTest {

  static final VmProcId SHARED = new VmProcId(100, 5);
  static final VmProcId PROOF_ONLY = new VmProcId(101, 7);
  static final VmProcId SNAPSHOT_ONLY = new VmProcId(200, 6);
  static final VmProcId SAME_PID_OTHER_TIME = new VmProcId(100, 6);

  static VmOwnership owned(VmProcId... ids) {
    return new VmOwnership.Owned(List.of(ids));
  }

  @Nested
  class DecideCleanup {
    @Test
    void notLaunchedIsNoop() {
      assertEquals(new CleanupDecision.Noop(), Decisions.decideCleanup(VmOwnership.NOT_LAUNCHED));
    }

    @Test
    void launchInFlightLeaksUnowned() {
      assertEquals(new CleanupDecision.LeakUnowned(), Decisions.decideCleanup(VmOwnership.LAUNCH_IN_FLIGHT));
    }

    @Test
    void launchSucceededNoProofTearsDownWithEmptySeed() {
      assertEquals(new CleanupDecision.Teardown(List.of()),
          Decisions.decideCleanup(VmOwnership.LAUNCH_SUCCEEDED_NO_PROOF));
    }

    @Test
    void ownedTearsDownWithProof() {
      assertEquals(new CleanupDecision.Teardown(List.of(SHARED, PROOF_ONLY)),
          Decisions.decideCleanup(owned(SHARED, PROOF_ONLY)));
    }
  }

  @Nested
  class PlanKillSet {
    @Test
    void notLaunchedIsNoneRegardlessOfSnapshot() {
      assertEquals(Optional.empty(), Decisions.planKillSet(VmOwnership.NOT_LAUNCHED, List.of()));
      assertEquals(Optional.empty(), Decisions.planKillSet(VmOwnership.NOT_LAUNCHED, List.of(SHARED)));
    }

    @Test
    void launchInFlightIsNoneRegardlessOfSnapshot() {
      assertEquals(Optional.empty(), Decisions.planKillSet(VmOwnership.LAUNCH_IN_FLIGHT, List.of()));
      assertEquals(Optional.empty(), Decisions.planKillSet(VmOwnership.LAUNCH_IN_FLIGHT, List.of(SHARED)));
    }

    @Test
    void ownedWithEmptySnapshotReturnsProof() {
      assertEquals(Optional.of(List.of(SHARED, PROOF_ONLY)),
          Decisions.planKillSet(owned(SHARED, PROOF_ONLY), List.of()));
    }

    @Test
    void ownedIntersectUnionsProofAndSnapshot() {
      assertEquals(Optional.of(List.of(SHARED, PROOF_ONLY, SNAPSHOT_ONLY)),
          Decisions.planKillSet(owned(SHARED, PROOF_ONLY), List.of(SNAPSHOT_ONLY, SHARED)));
    }

    @Test
    void ownedDisjointReturnsOnlyProof() {
      assertEquals(Optional.of(List.of(SHARED)), Decisions.planKillSet(owned(SHARED), List.of(SNAPSHOT_ONLY)));
    }

    @Test
    void ownedPidMatchButDifferentCreationTimeIsDisjoint() {
      assertEquals(Optional.of(List.of(SHARED)),
          Decisions.planKillSet(owned(SHARED), List.of(SAME_PID_OTHER_TIME)));
    }

    @Test
    void launchSucceededNoProofEmptySnapshotIsNone() {
      assertEquals(Optional.empty(), Decisions.planKillSet(VmOwnership.LAUNCH_SUCCEEDED_NO_PROOF, List.of()));
    }

    @Test
    void launchSucceededNoProofWithSnapshotEnumerates() {
      assertEquals(Optional.of(List.of(SHARED, SNAPSHOT_ONLY)),
          Decisions.planKillSet(VmOwnership.LAUNCH_SUCCEEDED_NO_PROOF, List.of(SHARED, SNAPSHOT_ONLY)));
    }

    @Test
    void ownedRequiresAProof() {
      assertThrows(IllegalArgumentException.class, () -> new VmOwnership.Owned(List.of()));
    }
  }

  @Nested
  class ClassifyReconcile {
    static final Path DIR = Path.of("/r/a");

    MarkerState dead(VmProcId... proof) {
      return new MarkerState(DIR, false, List.of(proof));
    }

    MarkerState alive(VmProcId... proof) {
      return new MarkerState(DIR, true, List.of(proof));
    }

    Optional<HostSnapshot> live(VmProcId... ids) {
      return Optional.of(HostSnapshot.of(List.of(ids)));
    }

    BusyReason busy(ReconcileDecision d) {
      return assertInstanceOf(ReconcileDecision.Busy.class, d).reason();
    }

    // Row 1: probe failed -> Busy(ProbeFailed), any force.
    @Test
    void row1ProbeFailureIsBusy() {
      assertEquals(BusyReason.PROBE_FAILED, busy(Decisions.classifyReconcile(Optional.empty(), List.of(), false)));
    }

    @Test
    void row1ProbeFailureIsBusyEvenWithForce() {
      assertEquals(BusyReason.PROBE_FAILED,
          busy(Decisions.classifyReconcile(Optional.empty(), List.of(dead(SHARED)), true)));
    }

    // Row 2: nothing running -> Proceed.
    @Test
    void row2NoVmProceeds() {
      assertEquals(new ReconcileDecision.Proceed(), Decisions.classifyReconcile(live(), List.of(), false));
      assertEquals(new ReconcileDecision.Proceed(), Decisions.classifyReconcile(live(), List.of(dead(SHARED)), false));
    }

    @Test
    void row2ForceCannotManufactureLiveness() {
      assertEquals(new ReconcileDecision.Proceed(), Decisions.classifyReconcile(live(), List.of(), true));
    }

    @Test
    void row2LiveLauncherWithoutVmProceeds() {
      assertEquals(new ReconcileDecision.Proceed(), Decisions.classifyReconcile(live(), List.of(alive()), false));
    }

    // Row 3: running and a launcher strongly alive -> Busy(ActiveRun).
    @Test
    void row3LiveLauncherIsActiveRun() {
      assertEquals(BusyReason.ACTIVE_RUN,
          busy(Decisions.classifyReconcile(live(SHARED), List.of(alive(SHARED)), false)));
    }

    @Test
    void row3ForceDoesNotOverrideActiveRun() {
      assertEquals(BusyReason.ACTIVE_RUN,
          busy(Decisions.classifyReconcile(live(SNAPSHOT_ONLY), List.of(dead(), alive()), true)));
    }

    // W3: present but unidentifiable fails closed.
    @Test
    void presentButUnidentifiableIsBusy() {
      Optional<HostSnapshot> snap = Optional.of(new HostSnapshot(List.of(), List.of(4242L)));
      ReconcileDecision d = Decisions.classifyReconcile(snap, List.of(dead(SHARED)), false);
      assertEquals(BusyReason.UNIDENTIFIABLE, busy(d));
      assertTrue(((ReconcileDecision.Busy) d).message().contains("4242"));
    }

    @Test
    void presentButUnidentifiableIsBusyEvenWithForceOrProof() {
      Optional<HostSnapshot> snap = Optional.of(new HostSnapshot(List.of(SHARED), List.of(4242L)));
      assertEquals(BusyReason.UNIDENTIFIABLE, busy(Decisions.classifyReconcile(snap, List.of(dead(SHARED)), true)));
    }

    // Row 4: proof intersects -> ReclaimThenProceed{recorded proof}.
    @Test
    void row4ProofIntersectionReclaimsWithRecordedProof() {
      ReconcileDecision d = Decisions.classifyReconcile(live(SHARED, SNAPSHOT_ONLY), List.of(dead(SHARED)), false);
      assertEquals(new ReconcileDecision.ReclaimThenProceed(List.of(SHARED)), d);
    }

    @Test
    void row4ProofIntersectionDedupesAcrossMarkers() {
      VmProcId foreignProof = new VmProcId(900, 9);
      ReconcileDecision d = Decisions.classifyReconcile(live(SHARED),
          List.of(dead(SHARED), dead(SHARED, PROOF_ONLY), dead(foreignProof)), false);
      assertEquals(new ReconcileDecision.ReclaimThenProceed(List.of(SHARED, PROOF_ONLY)), d);
    }

    @Test
    void row4ForceDoesNotOverrideProvenReclaim() {
      assertEquals(new ReconcileDecision.ReclaimThenProceed(List.of(SHARED)),
          Decisions.classifyReconcile(live(SHARED), List.of(dead(SHARED)), true));
    }

    // Row 5: no proof intersection, force -> ForceReclaimThenProceed{snapshot}.
    @Test
    void row5ForceReclaimsUnprovableVmViaSnapshot() {
      assertEquals(new ReconcileDecision.ForceReclaimThenProceed(List.of(SNAPSHOT_ONLY, SHARED)),
          Decisions.classifyReconcile(live(SNAPSHOT_ONLY, SHARED), List.of(dead(PROOF_ONLY)), true));
    }

    @Test
    void row5RunningNoMarkersForceReclaims() {
      assertEquals(new ReconcileDecision.ForceReclaimThenProceed(List.of(SNAPSHOT_ONLY)),
          Decisions.classifyReconcile(live(SNAPSHOT_ONLY), List.of(), true));
    }

    // Row 6: no proof intersection, no force -> Busy(ForeignUnprovable).
    @Test
    void row6NoProofIntersectionIsForeign() {
      ReconcileDecision d = Decisions.classifyReconcile(live(SNAPSHOT_ONLY), List.of(dead(PROOF_ONLY)), false);
      assertEquals(BusyReason.FOREIGN_UNPROVABLE, busy(d));
      assertTrue(((ReconcileDecision.Busy) d).message().contains("200/6"));
      assertTrue(((ReconcileDecision.Busy) d).message().contains("--force-reclaim"));
    }

    @Test
    void row6PidMatchCreationTimeDiffIsForeign() {
      assertEquals(BusyReason.FOREIGN_UNPROVABLE,
          busy(Decisions.classifyReconcile(live(SAME_PID_OTHER_TIME), List.of(dead(SHARED)), false)));
    }

    @Test
    void row6RunningNoMarkersIsForeign() {
      assertEquals(BusyReason.FOREIGN_UNPROVABLE, busy(Decisions.classifyReconcile(live(SHARED), List.of(), false)));
    }

    @Test
    void row6EmptyProofNeverIntersects() {
      assertEquals(BusyReason.FOREIGN_UNPROVABLE,
          busy(Decisions.classifyReconcile(live(SHARED), List.of(dead()), false)));
    }
  }

  @Nested
  class LauncherStronglyAlive {
    @Test
    void matchingCreationTimeIsAlive() {
      FakeKiller host = new FakeKiller();
      host.launchers.put(10L, 77L);
      assertTrue(Decisions.launcherStronglyAlive(new Marker(10, 77L, List.of()), host));
    }

    @Test
    void differentCreationTimeIsDead() {
      FakeKiller host = new FakeKiller();
      host.launchers.put(10L, 78L);
      assertFalse(Decisions.launcherStronglyAlive(new Marker(10, 77L, List.of()), host));
    }

    @Test
    void missingCreationTimeIsDeadEvenIfThePidRuns() {
      FakeKiller host = new FakeKiller();
      host.launchers.put(10L, 77L);
      assertFalse(Decisions.launcherStronglyAlive(new Marker(10, null, List.of()), host));
    }

    @Test
    void absentPidIsDead() {
      assertFalse(Decisions.launcherStronglyAlive(new Marker(10, 77L, List.of()), new FakeKiller()));
    }
  }

  @Test
  void dedupeKeepsFirstSeenOrder() {
    assertEquals(List.of(SNAPSHOT_ONLY, SHARED), Decisions.dedupe(List.of(SNAPSHOT_ONLY, SHARED, SNAPSHOT_ONLY)));
  }
}
