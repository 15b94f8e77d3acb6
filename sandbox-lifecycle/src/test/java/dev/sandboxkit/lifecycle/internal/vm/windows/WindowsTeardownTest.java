package dev.sandboxkit.lifecycle.internal.vm.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.lifecycle.internal.controlplane.VmProcId;
import dev.sandboxkit.lifecycle.internal.teardown.Marker;
import dev.sandboxkit.lifecycle.internal.teardown.MarkerStore;
import dev.sandboxkit.lifecycle.internal.teardown.TeardownGuard;
import dev.sandboxkit.lifecycle.internal.teardown.TeardownOutcome;
import dev.sandboxkit.lifecycle.internal.teardown.VmOwnership;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run's teardown as the runner performs it: rules' {@link TeardownGuard} driven by this driver's
 * killer over a fake Windows process table. One row per ownership state and outcome.
 */
@Timeout(20)
class WindowsTeardownTest {
  static final Duration BUDGET = Duration.ofMillis(300);
  static final Duration POLL = Duration.ofMillis(10);
  static final VmProcId SERVER = new VmProcId(5001, 100);
  static final VmProcId SESSION = new VmProcId(5002, 200);

  @TempDir Path tmp;
  private final FakeWin32Processes win32 = new FakeWin32Processes();
  private final WindowsSandboxProcesses killer = new WindowsSandboxProcesses(win32);
  private Path runDir;

  @BeforeEach
  void runDir() throws Exception {
    MarkerStore store = new MarkerStore(tmp.resolve("oneshot"));
    store.secureRoot();
    runDir = store.createRunDir();
    store.write(runDir, Marker.forCurrentProcess(List.of()));
  }

  private TeardownOutcome teardown(VmOwnership ownership) {
    TeardownGuard guard = TeardownGuard.arm(runDir, killer, BUDGET, POLL, false);
    guard.setOwnership(ownership);
    return guard.teardown(BUDGET).orElseThrow();
  }

  private boolean markerKept() {
    return Files.exists(MarkerStore.markerFile(runDir));
  }

  @Test
  void notLaunchedKillsNothingAndRemovesTheMarker() {
    win32.add(9, "WindowsSandbox.exe", 90);
    assertInstanceOf(TeardownOutcome.ConfirmedGone.class, teardown(VmOwnership.NOT_LAUNCHED));
    assertEquals(List.of(), win32.terminated);
    assertFalse(markerKept());
  }

  @Test
  void launchInFlightNeverKillsAndKeepsTheMarker() {
    win32.add(9, "WindowsSandbox.exe", 90);
    assertInstanceOf(TeardownOutcome.NotOwned.class, teardown(VmOwnership.LAUNCH_IN_FLIGHT));
    assertEquals(List.of(), win32.terminated);
    assertTrue(markerKept());
  }

  @Test
  void ownedKillsProofThenLiveExtrasByIdentityAndConfirmsGone() {
    win32.add(5001, "WindowsSandboxServer.exe", 100).add(5002, "WindowsSandboxRemoteSession.exe", 200)
        .add(5003, "WindowsSandboxClient.exe", 300);
    TeardownOutcome o = teardown(new VmOwnership.Owned(List.of(SESSION, SERVER)));
    assertInstanceOf(TeardownOutcome.ConfirmedGone.class, o);
    assertEquals(List.of(SESSION, SERVER, new VmProcId(5003, 300)), win32.terminated);
    assertFalse(markerKept());
  }

  @Test
  void ownedWithADisjointLiveSetKillsOnlyTheProofAndAForeignVmDoesNotBlockGone() {
    // Our VM is gone; a foreign sandbox runs (same prefix). Gone is judged by our identities (W6).
    win32.add(7001, "WindowsSandbox.exe", 777);
    TeardownOutcome o = teardown(new VmOwnership.Owned(List.of(SERVER)));
    assertInstanceOf(TeardownOutcome.ConfirmedGone.class, o);
    assertEquals(List.of(), win32.terminated);
    assertTrue(win32.table.containsKey(7001L), "the foreign VM is untouched");
  }

  @Test
  void aRecycledPidIsNeverKilled() {
    win32.add(5001, "WindowsSandboxServer.exe", 101); // same pid, other creation time
    assertInstanceOf(TeardownOutcome.ConfirmedGone.class, teardown(new VmOwnership.Owned(List.of(SERVER))));
    assertEquals(List.of(), win32.terminated);
  }

  @Test
  void survivorsGiveStillRunningAndKeepTheMarker() {
    win32.add(5001, "WindowsSandboxServer.exe", 100);
    win32.unkillable.add(5001L);
    TeardownOutcome o = teardown(new VmOwnership.Owned(List.of(SERVER)));
    assertEquals(new TeardownOutcome.StillRunning(List.of(SERVER)), o);
    assertTrue(markerKept());
  }

  @Test
  void launchSucceededNoProofKillsTheWholeSnapshot() {
    win32.add(5001, "WindowsSandboxServer.exe", 100).add(12, "explorer.exe", 5);
    assertInstanceOf(TeardownOutcome.ConfirmedGone.class, teardown(VmOwnership.LAUNCH_SUCCEEDED_NO_PROOF));
    assertEquals(List.of(SERVER), win32.terminated);
    assertTrue(win32.table.containsKey(12L));
  }

  @Test
  void launchSucceededNoProofWithEmptySnapshotIsGone() {
    assertInstanceOf(TeardownOutcome.ConfirmedGone.class, teardown(VmOwnership.LAUNCH_SUCCEEDED_NO_PROOF));
    assertFalse(markerKept());
  }

  @Test
  void enumerationFailureIsProbeFailedAndKeepsTheMarker() {
    win32.add(5001, "WindowsSandboxServer.exe", 100);
    win32.snapshotFailure = new Win32Exception("Process32FirstW", 31, "could not enumerate host processes");
    assertInstanceOf(TeardownOutcome.ProbeFailed.class, teardown(VmOwnership.LAUNCH_SUCCEEDED_NO_PROOF));
    assertEquals(List.of(), win32.terminated);
    assertTrue(markerKept(), "W5: never cleared on a failed probe");
  }

  @Test
  void unidentifiableHostProcessesFailClosed() {
    win32.addUnopenable(5001, "WindowsSandboxServer.exe");
    assertInstanceOf(TeardownOutcome.ProbeFailed.class, teardown(VmOwnership.LAUNCH_SUCCEEDED_NO_PROOF));
    assertTrue(markerKept());
  }
}
