package dev.sandboxkit.lifecycle.internal.teardown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.lifecycle.internal.controlplane.JdkProcessProbe;
import dev.sandboxkit.lifecycle.internal.controlplane.RealZombie;
import dev.sandboxkit.lifecycle.internal.controlplane.VmProcId;
import dev.sandboxkit.lifecycle.internal.teardown.ReconcileDecision.BusyReason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class ReconcilerTest {

  static final VmProcId VM = new VmProcId(100, 5);
  static final VmProcId HELPER = new VmProcId(101, 6);
  static final VmProcId FOREIGN = new VmProcId(300, 1);

  @TempDir Path tmp;
  MarkerStore store;
  FakeKiller host;
  Reconciler reconciler;

  @BeforeEach
  void setUp() throws IOException {
    store = new MarkerStore(tmp.resolve("oneshot"));
    store.secureRoot();
    host = new FakeKiller();
    reconciler = new Reconciler(store, host, host)
        .withTeardown(Duration.ofMillis(100), Duration.ofMillis(10))
        .withGc(Duration.ofHours(1), Clock.systemUTC());
  }

  Path deadRun(VmProcId... proof) throws IOException {
    Path run = store.createRunDir();
    store.write(run, new Marker(55, 1L, List.of(proof)));
    return run;
  }

  Path liveRun(VmProcId... proof) throws IOException {
    Path run = store.createRunDir();
    host.launchers.put(66L, 2L);
    store.write(run, new Marker(66, 2L, List.of(proof)));
    return run;
  }

  @Test
  void proceedClearsDeadDirsAndKeepsAPeerMidLaunch() throws IOException {
    Path dead = deadRun(VM);
    Path peer = liveRun();
    ReconcileResult.Proceed p = assertInstanceOf(ReconcileResult.Proceed.class, reconciler.reconcileSingleton(false));
    assertEquals(List.of(dead), p.cleared());
    assertTrue(p.note().isEmpty());
    assertFalse(Files.exists(dead));
    assertTrue(Files.exists(peer));
  }

  @Test
  void orphanIsReclaimedWidenedAndDirsCleared() throws IOException {
    Path dead = deadRun(VM);
    host.live(VM, HELPER);
    ReconcileResult.Proceed p = assertInstanceOf(ReconcileResult.Proceed.class, reconciler.reconcileSingleton(false));
    assertEquals(List.of(VM, HELPER), host.killed());
    assertEquals(List.of(dead), p.cleared());
    assertTrue(p.note().orElseThrow().contains("reclaimed an orphaned"));
  }

  @Test
  void foreignVmIsBusyAndTouchesNothing() throws IOException {
    Path dead = deadRun(VM);
    host.live(FOREIGN);
    ReconcileResult.Busy b = assertInstanceOf(ReconcileResult.Busy.class, reconciler.reconcileSingleton(false));
    assertEquals(BusyReason.FOREIGN_UNPROVABLE, b.reason());
    assertTrue(Files.exists(dead));
    assertEquals(List.of(), host.terminateCalls);
  }

  @Test
  void forceReclaimKillsTheSnapshot() throws IOException {
    host.live(FOREIGN);
    ReconcileResult.Proceed p = assertInstanceOf(ReconcileResult.Proceed.class, reconciler.reconcileSingleton(true));
    assertEquals(List.of(FOREIGN), host.killed());
    assertTrue(p.note().orElseThrow().contains("--force-reclaim"));
  }

  @Test
  void activeRunIsBusy() throws IOException {
    liveRun(VM);
    host.live(VM);
    assertEquals(BusyReason.ACTIVE_RUN,
        assertInstanceOf(ReconcileResult.Busy.class, reconciler.reconcileSingleton(true)).reason());
  }

  @Test
  void failedReclaimIsBusyAndKeepsTheMarker() throws IOException {
    Path dead = deadRun(VM);
    host.live(VM);
    host.unkillable.add(VM);
    ReconcileResult.Busy b = assertInstanceOf(ReconcileResult.Busy.class, reconciler.reconcileSingleton(false));
    assertEquals(BusyReason.RECLAIM_FAILED, b.reason());
    assertTrue(b.message().contains("100/5"), b.message());
    assertTrue(Files.exists(MarkerStore.markerFile(dead)));
  }

  @Test
  void unparseableMarkerCountsAsDeadWithNoProof() throws IOException {
    Path run = store.createRunDir();
    Files.writeString(MarkerStore.markerFile(run), "pid=1234\n");
    host.live(VM);
    assertEquals(BusyReason.FOREIGN_UNPROVABLE,
        assertInstanceOf(ReconcileResult.Busy.class, reconciler.reconcileSingleton(false)).reason());
  }

  @Test
  void proceedAlsoCollectsOldMarkerlessDirs() throws IOException {
    Path scratch = store.createRunDir();
    reconciler.withGc(Duration.ZERO, Clock.offset(Clock.systemUTC(), Duration.ofSeconds(1)));
    ReconcileResult.Proceed p = assertInstanceOf(ReconcileResult.Proceed.class, reconciler.reconcileSingleton(false));
    assertEquals(List.of(scratch), p.cleared());
  }

  @Test
  void independentReclaimsOnlyDeadRunsOwnProof() throws IOException {
    Path dead = deadRun(VM);
    Path live = liveRun(HELPER);
    Path deadGone = deadRun(new VmProcId(400, 4));
    host.live(VM, HELPER, FOREIGN);
    ReconcileResult.Proceed p = reconciler.reconcileIndependent();
    assertEquals(List.of(VM), host.killed());
    assertTrue(p.cleared().containsAll(List.of(dead, deadGone)));
    assertTrue(Files.exists(live));
    assertTrue(host.live.contains(FOREIGN));
    assertTrue(p.note().orElseThrow().contains("1 orphaned sandbox(es) reclaimed"));
  }

  @Test
  void independentKeepsDirWhoseProcessSurvives() throws IOException {
    Path dead = deadRun(VM);
    host.live(VM);
    host.unkillable.add(VM);
    ReconcileResult.Proceed p = reconciler.reconcileIndependent();
    assertTrue(Files.exists(MarkerStore.markerFile(dead)));
    assertTrue(p.note().orElseThrow().contains("not confirmed gone"));
  }

  @Test
  void independentWithNothingToDoHasNoNote() {
    assertTrue(reconciler.reconcileIndependent().note().isEmpty());
  }

  /** Issue 15.7: a launcher that exited but is not yet reaped (state Z) is dead: its run is cleaned up. */
  @Test
  void aRunWhoseLauncherIsAZombieIsCleanedUp() throws Exception {
    try (RealZombie z = RealZombie.start()) {
      Path run = store.createRunDir();
      store.write(run, new Marker(z.id().pid(), z.id().creationTime(), List.of()));
      Reconciler real = new Reconciler(store, host, JdkProcessProbe.INSTANCE)
          .withTeardown(Duration.ofMillis(100), Duration.ofMillis(10))
          .withGc(Duration.ofHours(1), Clock.systemUTC());
      ReconcileResult.Proceed p = assertInstanceOf(ReconcileResult.Proceed.class, real.reconcileSingleton(false));
      assertEquals(List.of(run), p.cleared());
      assertFalse(Files.exists(run));
    }
  }
}
