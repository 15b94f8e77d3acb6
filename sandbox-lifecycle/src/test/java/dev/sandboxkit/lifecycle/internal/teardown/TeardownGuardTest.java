package dev.sandboxkit.lifecycle.internal.teardown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.lifecycle.internal.controlplane.JdkProcessProbe;
import dev.sandboxkit.lifecycle.internal.controlplane.VmProcId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class TeardownGuardTest {

  static final VmProcId A = new VmProcId(100, 5);
  static final VmProcId B = new VmProcId(200, 6);
  static final Duration SHORT = Duration.ofMillis(200);
  static final Duration POLL = Duration.ofMillis(10);

  @TempDir Path tmp;
  MarkerStore store;
  Path run;
  FakeKiller host;

  @BeforeEach
  void setUp() throws IOException {
    store = new MarkerStore(tmp.resolve("oneshot"));
    store.secureRoot();
    run = store.createRunDir();
    store.write(run, Marker.forCurrentProcess(List.of()));
    host = new FakeKiller();
  }

  TeardownGuard guard() {
    return TeardownGuard.arm(run, host, SHORT, POLL, false);
  }

  @Test
  void dropRunsTeardownOnPostArmFailureAndRemovesMarker() {
    try (TeardownGuard g = guard()) {
      assertEquals(Optional.of(VmOwnership.NOT_LAUNCHED), g.ownership());
    }
    assertFalse(Files.exists(run));
    assertEquals(List.of(), host.terminateCalls);
  }

  @Test
  void launchInFlightPreservesMarkerForReclaimAndKillsNothing() {
    host.live(A);
    TeardownGuard g = guard();
    g.setOwnership(VmOwnership.LAUNCH_IN_FLIGHT);
    assertEquals(Optional.of(new TeardownOutcome.NotOwned()), g.teardown(SHORT));
    assertTrue(Files.exists(MarkerStore.markerFile(run)));
    assertEquals(List.of(), host.terminateCalls);
  }

  @Test
  void noProofWithEmptySnapshotClearsMarker() {
    TeardownGuard g = guard();
    g.setOwnership(VmOwnership.LAUNCH_SUCCEEDED_NO_PROOF);
    assertEquals(Optional.of(TeardownOutcome.CONFIRMED_GONE), g.teardown(SHORT));
    assertFalse(Files.exists(run));
  }

  @Test
  void noProofKillsTheWholeSnapshotThenClears() {
    host.live(A, B);
    TeardownGuard g = guard();
    g.setOwnership(VmOwnership.LAUNCH_SUCCEEDED_NO_PROOF);
    assertEquals(Optional.of(TeardownOutcome.CONFIRMED_GONE), g.teardown(SHORT));
    assertEquals(List.of(A, B), host.killed());
    assertFalse(Files.exists(run));
  }

  @Test
  void noProofWithFailedSnapshotIsProbeFailedAndKeepsMarker() {
    host.snapshotFails = true;
    TeardownGuard g = guard();
    g.setOwnership(VmOwnership.LAUNCH_SUCCEEDED_NO_PROOF);
    assertInstanceOf(TeardownOutcome.ProbeFailed.class, g.teardown(SHORT).orElseThrow());
    assertTrue(Files.exists(MarkerStore.markerFile(run)));
  }

  @Test
  void noProofWithUnidentifiableProcessIsProbeFailedAndKeepsMarker() {
    host.unidentifiable.add(4242L);
    TeardownGuard g = guard();
    g.setOwnership(VmOwnership.LAUNCH_SUCCEEDED_NO_PROOF);
    TeardownOutcome.ProbeFailed pf = assertInstanceOf(TeardownOutcome.ProbeFailed.class, g.teardown(SHORT).orElseThrow());
    assertTrue(pf.detail().contains("4242"));
    assertTrue(Files.exists(MarkerStore.markerFile(run)));
  }

  @Test
  void ownedIsKilledAndMarkerRemovedOnceConfirmedGone() {
    host.live(A);
    TeardownGuard g = guard();
    g.setOwnership(new VmOwnership.Owned(List.of(A)));
    assertEquals(Optional.of(TeardownOutcome.CONFIRMED_GONE), g.teardown(SHORT));
    assertEquals(List.of(A), host.killed());
    assertFalse(Files.exists(run));
  }

  @Test
  void ownedWithFailedSnapshotKillsTheProofButIsProbeFailedAndKeepsMarker() {
    // W5 with a proof: B started after the proof was captured; the failed snapshot cannot show it.
    host.live(A, B);
    host.snapshotFails = true;
    TeardownGuard g = guard();
    g.setOwnership(new VmOwnership.Owned(List.of(A)));
    TeardownOutcome.ProbeFailed pf =
        assertInstanceOf(TeardownOutcome.ProbeFailed.class, g.teardown(SHORT).orElseThrow());
    assertTrue(pf.detail().contains("could not enumerate"), pf.detail());
    assertEquals(List.of(A), host.killed(), "the proof is still terminated, best effort");
    assertTrue(Files.exists(MarkerStore.markerFile(run)), "marker kept so the next reconcile finds B");
  }

  @Test
  void ownedWithFailedSnapshotAndSurvivingProofIsStillRunning() {
    host.live(A);
    host.unkillable.add(A);
    host.snapshotFails = true;
    TeardownGuard g = guard();
    g.setOwnership(new VmOwnership.Owned(List.of(A)));
    assertEquals(Optional.of(new TeardownOutcome.StillRunning(List.of(A))), g.teardown(SHORT));
    assertTrue(Files.exists(MarkerStore.markerFile(run)));
  }

  @Test
  void noProofWithFailedSnapshotKillsNothing() {
    host.live(A);
    host.snapshotFails = true;
    TeardownGuard g = guard();
    g.setOwnership(VmOwnership.LAUNCH_SUCCEEDED_NO_PROOF);
    assertInstanceOf(TeardownOutcome.ProbeFailed.class, g.teardown(SHORT).orElseThrow());
    assertEquals(List.of(), host.terminateCalls, "nothing is provably ours");
    assertTrue(Files.exists(MarkerStore.markerFile(run)));
  }

  @Test
  void ownedSurvivorIsStillRunningAndKeepsMarker() {
    host.live(A);
    host.unkillable.add(A);
    TeardownGuard g = guard();
    g.setOwnership(new VmOwnership.Owned(List.of(A)));
    assertEquals(Optional.of(new TeardownOutcome.StillRunning(List.of(A))), g.teardown(SHORT));
    assertTrue(Files.exists(MarkerStore.markerFile(run)));
  }

  @Test
  void ownedWithLivenessProbeFailureIsProbeFailedAndKeepsMarker() {
    host.live(A);
    host.livenessFails = true;
    TeardownGuard g = guard();
    g.setOwnership(new VmOwnership.Owned(List.of(A)));
    assertInstanceOf(TeardownOutcome.ProbeFailed.class, g.teardown(SHORT).orElseThrow());
    assertTrue(Files.exists(MarkerStore.markerFile(run)));
  }

  @Test
  void throwingKillerIsProbeFailedNeverAnException() {
    host.throwOnSnapshot = new IllegalStateException("boom");
    TeardownGuard g = guard();
    g.setOwnership(VmOwnership.LAUNCH_SUCCEEDED_NO_PROOF);
    TeardownOutcome.ProbeFailed pf = assertInstanceOf(TeardownOutcome.ProbeFailed.class, g.teardown(SHORT).orElseThrow());
    assertTrue(pf.detail().contains("boom"));
    assertTrue(Files.exists(MarkerStore.markerFile(run)));
    g.close();
  }

  @Test
  void teardownRunsAtMostOnce() {
    host.live(A);
    TeardownGuard g = guard();
    g.setOwnership(new VmOwnership.Owned(List.of(A)));
    assertTrue(g.teardown(SHORT).isPresent());
    assertEquals(Optional.empty(), g.teardown(SHORT));
    g.shutdown();
    g.close();
    assertEquals(1, host.terminateCalls.size());
    assertFalse(g.armed());
  }

  @Test
  void setOwnershipAfterTakeIsNoop() {
    TeardownGuard g = guard();
    g.close();
    g.setOwnership(new VmOwnership.Owned(List.of(A)));
    assertEquals(Optional.empty(), g.ownership());
  }

  /**
   * SIGTERM / Ctrl-C / System.exit: the hook tears down as close() does — kill, confirmed gone, then
   * the run dir goes. (It used to kill only and leave every such run's dir for the next reconcile.)
   */
  @Test
  void shutdownHookKillsConfirmsGoneAndRemovesTheRunDir() {
    host.live(A, B);
    TeardownGuard g = guard();
    g.setOwnership(new VmOwnership.Owned(List.of(A)));
    g.shutdown();
    assertEquals(List.of(List.of(A, B)), host.terminateCalls);
    assertFalse(Files.exists(run), "confirmed gone: the marker and the run dir are removed");
    assertFalse(g.armed());
    g.close();
    assertEquals(1, host.terminateCalls.size(), "close after the hook took the payload does nothing");
  }

  @Test
  void shutdownHookKeepsTheMarkerOfASandboxItCannotConfirmGone() {
    host.live(A);
    host.unkillable.add(A);
    TeardownGuard g = guard();
    g.setOwnership(new VmOwnership.Owned(List.of(A)));
    g.shutdown();
    assertEquals(List.of(List.of(A)), host.terminateCalls);
    assertTrue(Files.exists(MarkerStore.markerFile(run)), "still running: the marker stays for reconcile");
  }

  @Test
  void shutdownHookDuringLaunchInFlightKillsNothingAndKeepsTheMarker() {
    host.live(A);
    TeardownGuard g = guard();
    g.setOwnership(VmOwnership.LAUNCH_IN_FLIGHT);
    g.shutdown();
    assertEquals(List.of(), host.terminateCalls);
    assertTrue(Files.exists(MarkerStore.markerFile(run)));
  }

  @Test
  void shutdownHookRunsTheOwnersCloseOnceAndNotAfterTeardown() {
    TeardownGuard g = guard();
    List<String> calls = new java.util.ArrayList<>();
    g.onShutdown(() -> {
      calls.add("owner");
      g.teardown(g.shutdownBudget());
    });
    g.shutdown();
    g.shutdown();
    assertEquals(List.of("owner"), calls, "the second run finds the payload taken");
    assertFalse(Files.exists(run));
  }

  @Test
  void shutdownBudgetIsTheGuardsButAtMostFiveSeconds() {
    assertEquals(SHORT, guard().shutdownBudget());
    assertEquals(TeardownGuard.SHUTDOWN_BUDGET,
        TeardownGuard.arm(run, host, Duration.ofSeconds(30), POLL, false).shutdownBudget());
  }

  @Test
  void aThrowingShutdownActionIsContained() {
    TeardownGuard g = guard();
    g.onShutdown(() -> {
      throw new IllegalStateException("boom");
    });
    g.shutdown(); // logged, never thrown: the other hooks still run
    assertTrue(g.armed());
    g.close();
    assertFalse(Files.exists(run));
  }

  @Test
  void armWithShutdownHookRegistersAndRemovesIt() {
    TeardownGuard g = TeardownGuard.arm(run, host);
    assertTrue(g.armed());
    g.close();
    assertFalse(Files.exists(run));
  }

  @Test
  @DisabledOnOs(OS.WINDOWS)
  void realChildProcessIsKilledAndConfirmedGone() throws Exception {
    Process child = new ProcessBuilder("sleep", "60").start();
    try {
      VmProcId id = VmProcId.of(child.toHandle()).orElseThrow();
      try (TeardownGuard g = TeardownGuard.arm(run, SandboxKiller.identityOnly(JdkProcessProbe.INSTANCE),
          Duration.ofSeconds(10), POLL, false)) {
        g.setOwnership(VmOwnership.LAUNCH_IN_FLIGHT);
        g.setOwnership(new VmOwnership.Owned(List.of(id)));
        store.write(run, Marker.forCurrentProcess(List.of(id)));
      }
      assertTrue(child.waitFor(5, TimeUnit.SECONDS));
      assertFalse(Files.exists(run));
    } finally {
      child.destroyForcibly();
    }
  }
}
