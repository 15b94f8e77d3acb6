package dev.sandboxkit.lifecycle.internal.oneshot;

import dev.sandboxkit.lifecycle.internal.bridge.ExecCall;
import dev.sandboxkit.lifecycle.internal.session.SessionSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.lifecycle.ExecutionRequest;
import dev.sandboxkit.lifecycle.ExecutionResult;
import dev.sandboxkit.lifecycle.FailurePhase;
import dev.sandboxkit.OneShotRunner;
import dev.sandboxkit.lifecycle.SandboxException;
import dev.sandboxkit.lifecycle.SandboxListener;
import dev.sandboxkit.lifecycle.internal.controlplane.HostSlot;
import dev.sandboxkit.lifecycle.internal.rendezvous.RendezvousWaiter;
import dev.sandboxkit.lifecycle.internal.teardown.Marker;
import dev.sandboxkit.lifecycle.internal.teardown.MarkerStore;
import dev.sandboxkit.lifecycle.internal.teardown.ReconcileDecision.BusyReason;
import dev.sandboxkit.lifecycle.internal.teardown.ReconcileResult;
import dev.sandboxkit.lifecycle.internal.vm.GuestJar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The one-shot runner's own error paths, driven by a {@link FakeDriver} (no bwrap, no guest). */
@Timeout(30)
class OneShotRunErrorPathsTest {
  static final Duration SHORT_RENDEZVOUS = Duration.ofMillis(150);

  @TempDir Path tmp;
  Path root;
  FakeDriver driver;
  final List<String> events = Collections.synchronizedList(new ArrayList<>());
  final SandboxListener recorder = new SandboxListener() {
    @Override public void prepareStart(String sandboxId) { events.add("prepareStart"); }
    @Override public void prepareEnd(String sandboxId) { events.add("prepareEnd"); }
    @Override public void prepareFailed(String sandboxId, SandboxException e) { events.add("prepareFailed:" + e.phase()); }
    @Override public void launchStart(String sandboxId) { events.add("launchStart"); }
    @Override public void launchEnd(String sandboxId) { events.add("launchEnd"); }
    @Override public void launchFailed(String sandboxId, SandboxException e) { events.add("launchFailed:" + e.phase()); }
    @Override public void rendezvousStart(String sandboxId) { events.add("rendezvousStart"); }
    @Override public void rendezvousEnd(String sandboxId) { events.add("rendezvousEnd"); }
    @Override public void rendezvousFailed(String sandboxId, SandboxException e) { events.add("rendezvousFailed:" + e.phase()); }
    @Override public void handshakeStart(String sandboxId) { events.add("handshakeStart"); }
    @Override public void handshakeEnd(String sandboxId) { events.add("handshakeEnd"); }
    @Override public void handshakeFailed(String sandboxId, SandboxException e) { events.add("handshakeFailed"); }
    @Override public void execStart(String sandboxId, String executionId) { events.add("execStart"); }
    @Override public void execEnd(String sandboxId, String executionId, ExecutionResult r) { events.add("execEnd"); }
    @Override public void execFailed(String sandboxId, String executionId, SandboxException e) { events.add("execFailed"); }
    @Override public void teardownStart(String sandboxId) { events.add("teardownStart"); }
    @Override public void teardownEnd(String sandboxId) { events.add("teardownEnd"); }
    @Override public void teardownFailed(String sandboxId, SandboxException e) { events.add("teardownFailed"); }
  };

  /** The runner locates the guest jar before anything else; surefire sets the property, an IDE may not. */
  @BeforeAll
  static void guestJar(@TempDir Path jarDir) throws IOException {
    try {
      GuestJar.locate();
    } catch (SandboxException e) {
      System.setProperty(GuestJar.PROPERTY, Files.createFile(jarDir.resolve(GuestJar.FILE_NAME)).toString());
    }
  }

  @BeforeEach
  void setUp() {
    root = tmp.resolve("state");
    driver = new FakeDriver();
  }

  ExecutionResult run() {
    return OneShotRunner.builder(driver).stateRoot(root).listener(recorder).forceReclaim(false)
        .rendezvousPoll(Duration.ofMillis(10)).rendezvousTimeout(SHORT_RENDEZVOUS).build()
        .run(ExecutionRequest.builder("echo never").build());
  }

  /** The package-private runner with a short teardown budget (the public one waits up to 30 s). */
  ExecutionResult runWithTeardownBudget(Duration budget) {
    SessionSettings settings = SessionSettings.defaults().withListener(recorder).withStateRoot(root)
        .withRendezvous(Duration.ofMillis(10), SHORT_RENDEZVOUS).withForceReclaim(false)
        .withBudgets(budget, ExecCall.WATCHDOG_GRACE);
    return new OneShotRun(driver, settings, ExecutionRequest.builder("echo never").build()).run();
  }

  List<Path> children(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }

  Path runDir() {
    return driver.lastLaunch.runDir();
  }

  // ---------------------------------------------------------------- before the run dir exists

  @Test
  void hostSlotBusyIsLaunchFailedAndCreatesNothing() {
    driver.slot = wait -> Optional.empty();
    ExecutionResult r = run();
    assertEquals(FailurePhase.LAUNCH_FAILED, r.failurePhase());
    assertEquals(-1, r.exitCode());
    assertTrue(r.errorMessage().contains("holds the host slot"), r.errorMessage());
    assertTrue(r.errorMessage().contains("waited 5 s"), r.errorMessage());
    assertTrue(r.extendedError().contains("retry"), r.extendedError());
    assertFalse(Files.exists(root), "nothing may be created while the slot is busy");
    assertEquals(List.of("checkEnforceable"), driver.calls);
    assertEquals(List.of("prepareStart", "prepareFailed:LAUNCH_FAILED"), events);
  }

  @Test
  void hostSlotFailureIsLaunchFailedWithADistinctMessage() {
    driver.slot = wait -> {
      throw new IOException("CreateMutexW failed: error 5");
    };
    ExecutionResult r = run();
    assertEquals(FailurePhase.LAUNCH_FAILED, r.failurePhase());
    assertEquals("could not take the fake host slot", r.errorMessage());
    assertTrue(r.extendedError().contains("CreateMutexW failed: error 5"), r.extendedError());
    driver.slot = wait -> Optional.empty();
    assertNotEquals(run().errorMessage(), r.errorMessage(), "busy and broken are told apart");
    assertFalse(Files.exists(root));
  }

  /** A host-wide slot (like Windows Sandbox's mutex): not {@code HostSlot.NONE}, so reconcile comes first. */
  static HostSlot holdingSlot() {
    return wait -> Optional.of(() -> { });
  }

  @Test
  void slotHoldingDriverReconcilesBeforeTheRunDirAndTheLaunch() {
    driver.slot = holdingSlot();
    run();
    assertEquals(List.of("checkEnforceable", "reconcile", "prepare", "launch", "captureProof"),
        driver.calls.subList(0, 5));
    assertFalse(driver.liveAtReconcile);
    assertEquals(List.of(), driver.reconcileStore.listRunDirs(), "no run dir of ours existed yet");
  }

  @Test
  void reconcileBusyIsLaunchFailedWithItsMessageAndNoRunDir() throws IOException {
    driver.slot = holdingSlot();
    driver.reconcile = new ReconcileResult.Busy(BusyReason.ACTIVE_RUN, "run 1234 still owns a live sandbox");
    ExecutionResult r = run();
    assertEquals(FailurePhase.LAUNCH_FAILED, r.failurePhase());
    assertTrue(r.errorMessage().contains("run 1234 still owns a live sandbox"), r.errorMessage());
    assertTrue(r.extendedError().contains("ACTIVE_RUN"), r.extendedError());
    assertEquals(List.of(), children(root), "no run dir");
    assertFalse(driver.calls.contains("prepare"));
    assertEquals(List.of("prepareStart", "prepareFailed:LAUNCH_FAILED"), events);
  }

  @Test
  void slotHoldingReconcileRuntimeExceptionIsAnInternalErrorBeforeAnything() throws IOException {
    driver.slot = holdingSlot();
    driver.reconcileThrowsRuntime = new IllegalStateException("reconcile bug");
    ExecutionResult r = run();
    assertEquals(FailurePhase.POST_LAUNCH_FAILED, r.failurePhase());
    assertTrue(r.errorMessage().contains("internal error: IllegalStateException: reconcile bug"), r.errorMessage());
    assertFalse(driver.calls.contains("prepare"));
    assertEquals(List.of(), children(root));
  }

  @Test
  void independentDriverReconcilesOthersOnlyAfterItsLaunchWithItsProofOnDisk() throws IOException {
    List<Object> atReconcile = new ArrayList<>();
    FakeDriver probe = new FakeDriver() {
      @Override
      public ReconcileResult reconcile(MarkerStore store, boolean forceReclaim) {
        try {
          atReconcile.add(new MarkerStore(root).read(lastLaunch.runDir()).orElseThrow().vmProcesses());
        } catch (IOException e) {
          atReconcile.add(e);
        }
        return super.reconcile(store, forceReclaim);
      }
    };
    driver = probe;
    run();
    assertEquals(List.of("checkEnforceable", "prepare", "launch", "captureProof", "reconcile"),
        driver.calls.subList(0, 5));
    assertTrue(driver.liveAtReconcile, "our sandbox already runs");
    assertEquals(List.of(List.of(FakeDriver.SANDBOX)), atReconcile, "the marker holds the proof first");
    assertEquals(1, driver.calls.stream().filter("reconcile"::equals).count(), "reconciled once");
  }

  @Test
  void deferredReconcileNeverSeesTheRunsOwnDirEvenWithAnUnknownLauncher() throws IOException {
    run();
    MarkerStore seen = driver.reconcileStore;
    Path other = new MarkerStore(root).createRunDir();
    new MarkerStore(root).write(other, new Marker(0, null, List.of()));
    Path ours = Files.createDirectories(root.resolve(runDir().getFileName()));
    new MarkerStore(root).write(ours, new Marker(0, null, List.of()));
    assertEquals(List.of(other), seen.listMarkerDirs(), "a dead-looking marker of our own run is not listed");
    assertEquals(2, new MarkerStore(root).listMarkerDirs().size());
  }

  @Test
  void deferredReconcileBusyFailsTheLaunchStepAndTearsOurSandboxDown() throws IOException {
    driver.reconcile = new ReconcileResult.Busy(BusyReason.ACTIVE_RUN, "run 1234 still owns a live sandbox");
    ExecutionResult r = run();
    assertEquals(FailurePhase.LAUNCH_FAILED, r.failurePhase());
    assertEquals("the host is busy: run 1234 still owns a live sandbox", r.errorMessage());
    assertTrue(r.extendedError().contains("ACTIVE_RUN"), r.extendedError());
    assertEquals(List.of(List.of(FakeDriver.SANDBOX)), driver.terminated, "our launched sandbox is killed");
    assertTrue(driver.live.isEmpty());
    assertTrue(driver.instanceClosed);
    assertEquals(List.of(), children(root));
    assertEquals(List.of("prepareStart", "prepareEnd", "launchStart", "launchFailed:LAUNCH_FAILED",
        "teardownStart", "teardownEnd"), events);
    assertEquals(1, driver.calls.stream().filter("reconcile"::equals).count());
  }

  @Test
  void deferredReconcileRuntimeExceptionIsAnInternalErrorAndStillTearsDown() throws IOException {
    driver.reconcileThrowsRuntime = new IllegalStateException("reconcile bug");
    ExecutionResult r = run();
    assertEquals(FailurePhase.POST_LAUNCH_FAILED, r.failurePhase());
    assertTrue(r.errorMessage().contains("internal error: IllegalStateException: reconcile bug"), r.errorMessage());
    assertEquals(List.of(List.of(FakeDriver.SANDBOX)), driver.terminated);
    assertTrue(driver.live.isEmpty());
    assertEquals(List.of(), children(root));
    assertEquals(List.of("prepareStart", "prepareEnd", "launchStart", "teardownStart", "teardownEnd"), events);
  }

  @Test
  void independentRunThatFailsBeforeItsLaunchStillReconcilesAfterItsTeardown() throws IOException {
    driver.prepareThrows = new SandboxException(FailurePhase.REJECTED, "a prerequisite is missing", "install it");
    driver.reconcile = new ReconcileResult.Proceed(Optional.of("reclaimed 1 leftover sandbox"), List.of());
    ExecutionResult r = run();
    assertEquals(FailurePhase.REJECTED, r.failurePhase(), "the first failure stays the summary");
    assertEquals("a prerequisite is missing", r.errorMessage());
    assertTrue(r.extendedError().contains("reclaimed 1 leftover sandbox"), r.extendedError());
    assertEquals(List.of("checkEnforceable", "prepare", "reconcile"), driver.calls);
    assertEquals(List.of(), driver.reconcileStore.listRunDirs());
  }

  @Test
  void afterFailureReconcileProblemsOnlyAddToTheNote() {
    driver.launchThrows = new SandboxException(FailurePhase.LAUNCH_FAILED, "could not start bwrap", "ENOENT");
    driver.mayHaveStarted = false;
    driver.reconcile = new ReconcileResult.Busy(BusyReason.PROBE_FAILED, "could not enumerate processes");
    ExecutionResult r = run();
    assertEquals("could not start bwrap", r.errorMessage());
    assertTrue(r.extendedError().contains("the host is busy: could not enumerate processes"), r.extendedError());

    driver.reconcileThrowsRuntime = new IllegalStateException("reconcile bug");
    ExecutionResult r2 = run();
    assertEquals("could not start bwrap", r2.errorMessage());
    assertTrue(r2.extendedError().contains("reconciling earlier runs failed"), r2.extendedError());
  }

  @Test
  void reconcileNoteReachesTheExtendedError() {
    driver.reconcile = new ReconcileResult.Proceed(Optional.of("reclaimed 1 leftover sandbox"), List.of());
    ExecutionResult r = run();
    assertEquals(FailurePhase.LAUNCH_FAILED, r.failurePhase());
    assertTrue(r.extendedError().contains("reclaimed 1 leftover sandbox"), r.extendedError());
    driver.slot = holdingSlot();
    ExecutionResult first = run();
    assertTrue(first.extendedError().contains("reclaimed 1 leftover sandbox"), first.extendedError());
  }

  // ---------------------------------------------------------------- prepare and launch

  @Test
  void prepareFailureKeepsItsPhaseAndRemovesRunDirAndMarker() throws IOException {
    driver.prepareThrows = new SandboxException(FailurePhase.REJECTED, "a prerequisite is missing", "install it");
    ExecutionResult r = run();
    assertEquals(FailurePhase.REJECTED, r.failurePhase());
    assertEquals("a prerequisite is missing", r.errorMessage());
    assertEquals("install it", r.extendedError());
    assertFalse(Files.exists(MarkerStore.markerFile(runDir())));
    assertFalse(Files.exists(runDir()));
    assertEquals(List.of(), children(root));
    assertFalse(driver.calls.contains("launch"));
    assertEquals(List.of("prepareStart", "prepareFailed:REJECTED", "teardownStart", "teardownEnd"), events);
  }

  @Test
  void prepareSeesTheRunDirWithMarkerAndNonce() {
    driver.prepareThrows = new SandboxException(FailurePhase.LAUNCH_FAILED, "stop here", "");
    List<Boolean> seen = new ArrayList<>();
    FakeDriver probe = new FakeDriver() {
      @Override
      public Instance prepare(Launch launch) throws SandboxException {
        seen.add(Files.isRegularFile(MarkerStore.markerFile(launch.runDir())));
        seen.add(Files.isRegularFile(launch.rendezvousDir().resolve("nonce.bin")));
        seen.add(launch.rendezvousDir().getParent().equals(launch.runDir()));
        return super.prepare(launch);
      }
    };
    probe.prepareThrows = driver.prepareThrows;
    driver = probe;
    run();
    assertEquals(List.of(true, true, true), seen);
  }

  @Test
  void launchFailureKeepsTheMarkerBecauseOwnershipIsUnknown() throws IOException {
    driver.launchThrows = new SandboxException(FailurePhase.LAUNCH_FAILED, "could not start bwrap", "ENOENT");
    ExecutionResult r = run();
    assertEquals(FailurePhase.LAUNCH_FAILED, r.failurePhase());
    assertEquals("could not start bwrap", r.errorMessage());
    assertTrue(r.extendedError().startsWith("ENOENT"), r.extendedError());
    assertTrue(r.extendedError().contains("nothing was killed"), r.extendedError());
    assertTrue(r.extendedError().contains(runDir().toString()), r.extendedError());
    // LaunchInFlight (reference §3.1, W9): teardown kills nothing and keeps the marker for reconcile.
    Marker m = new MarkerStore(root).read(runDir()).orElseThrow();
    assertEquals(ProcessHandle.current().pid(), m.launcherPid());
    assertEquals(List.of(), m.vmProcesses());
    assertEquals(List.of(), driver.terminated);
    assertTrue(driver.instanceClosed, "the instance is closed even so");
    assertEquals(List.of("prepareStart", "prepareEnd", "launchStart", "launchFailed:LAUNCH_FAILED",
        "teardownStart", "teardownFailed"), events);
  }

  @Test
  void launchFailureThatStartedNothingClearsTheRunDirAtOnce() throws IOException {
    driver.launchThrows = new SandboxException(FailurePhase.LAUNCH_FAILED, "could not start bwrap", "ENOENT");
    driver.mayHaveStarted = false;
    ExecutionResult r = run();
    assertEquals(FailurePhase.LAUNCH_FAILED, r.failurePhase());
    assertEquals("could not start bwrap", r.errorMessage());
    assertEquals(List.of(), driver.terminated);
    assertTrue(driver.instanceClosed);
    assertEquals(List.of(), new MarkerStore(root).listRunDirs(), "nothing ran, so nothing is kept");
  }

  @Test
  void driverRuntimeExceptionStillTearsDown() throws IOException {
    driver.proofThrowsRuntime = new IllegalStateException("driver bug");
    ExecutionResult r = run();
    assertEquals(FailurePhase.POST_LAUNCH_FAILED, r.failurePhase());
    assertTrue(r.errorMessage().contains("internal error: IllegalStateException: driver bug"), r.errorMessage());
    assertEquals(List.of(List.of(FakeDriver.SANDBOX)), driver.terminated, "the launched sandbox is killed");
    assertTrue(driver.live.isEmpty());
    assertTrue(driver.instanceClosed);
    assertEquals(List.of(), children(root));
    assertEquals(List.of("prepareStart", "prepareEnd", "launchStart", "teardownStart", "teardownEnd"), events);
  }

  @Test
  void captureProofFailureTearsDownWhatTheSnapshotShows() throws IOException {
    driver.proofThrows = new SandboxException(FailurePhase.LAUNCH_FAILED, "proof capture failed", "enumeration");
    ExecutionResult r = run();
    assertEquals(FailurePhase.LAUNCH_FAILED, r.failurePhase());
    assertEquals("proof capture failed", r.errorMessage());
    // LaunchSucceededNoProof: the snapshot's processes are ours (singleton rule) and are killed.
    assertEquals(List.of(List.of(FakeDriver.SANDBOX)), driver.terminated);
    assertTrue(driver.live.isEmpty());
    assertEquals(List.of(), children(root));
    assertEquals(List.of("prepareStart", "prepareEnd", "launchStart", "launchFailed:LAUNCH_FAILED",
        "teardownStart", "teardownEnd"), events);
  }

  // ---------------------------------------------------------------- rendezvous

  @Test
  void sandboxDeadDuringRendezvousReportsTheDriversDiagnostics() throws IOException {
    driver.deadWithDiagnostics = "bwrap exited with status 1; log tail: bwrap: Can't mount proc";
    ExecutionResult r = run();
    assertEquals(FailurePhase.LAUNCH_FAILED, r.failurePhase());
    assertTrue(r.errorMessage().contains("exited before the guest agent advertised its address"), r.errorMessage());
    assertTrue(r.extendedError().contains("bwrap: Can't mount proc"), r.extendedError());
    assertEquals(List.of(), children(root));
    assertEquals(List.of("prepareStart", "prepareEnd", "launchStart", "launchEnd", "rendezvousStart",
        "rendezvousFailed:LAUNCH_FAILED", "teardownStart", "teardownEnd"), events);
  }

  @Test
  void rendezvousTimeoutNamesTheFileAndTheWaitAndConfirmedGoneRemovesTheRunDir() throws IOException {
    ExecutionResult r = run();
    assertEquals(FailurePhase.LAUNCH_FAILED, r.failurePhase());
    Path file = runDir().resolve("rendezvous").resolve(RendezvousWaiter.FILE_NAME);
    assertTrue(r.errorMessage().contains(file.toString()), r.errorMessage());
    assertTrue(r.errorMessage().contains("within " + SHORT_RENDEZVOUS.toMillis() + " ms"), r.errorMessage());
    assertTrue(r.extendedError().contains("the file never appeared"), r.extendedError());
    assertFalse(r.errorMessage().contains("\n"), "one line");
    assertEquals(List.of(List.of(FakeDriver.SANDBOX)), driver.terminated);
    assertFalse(Files.exists(runDir()), "ConfirmedGone removes the run dir");
    assertFalse(r.extendedError().contains("confirmed gone"), r.extendedError());
  }

  // ---------------------------------------------------------------- teardown outcomes

  @Test
  void teardownStillRunningKeepsTheMarkerAndSaysSo() throws IOException {
    driver.unkillable.add(FakeDriver.SANDBOX);
    ExecutionResult r = runWithTeardownBudget(Duration.ofMillis(100));
    assertEquals(FailurePhase.LAUNCH_FAILED, r.failurePhase(), "the first failure stays the summary");
    assertTrue(r.extendedError().contains("could not be confirmed gone"), r.extendedError());
    assertTrue(r.extendedError().contains("StillRunning"), r.extendedError());
    Marker m = new MarkerStore(root).read(runDir()).orElseThrow();
    assertEquals(List.of(FakeDriver.SANDBOX), m.vmProcesses(), "the proof is on disk for the next reconcile");
    assertEquals("teardownFailed", events.get(events.size() - 1));
  }

  @Test
  void teardownSnapshotFailureIsProbeFailedAndKeepsTheMarker() throws IOException {
    driver.snapshotFails = true;
    ExecutionResult r = run();
    assertTrue(r.extendedError().contains("ProbeFailed"), r.extendedError());
    assertTrue(Files.exists(MarkerStore.markerFile(runDir())));
    assertEquals(List.of(List.of(FakeDriver.SANDBOX)), driver.terminated, "the proof is still killed");
    assertEquals("teardownFailed", events.get(events.size() - 1));
  }

  @Test
  void teardownLivenessProbeFailureIsProbeFailedAndKeepsTheMarker() {
    driver.livenessProbeFails = true;
    ExecutionResult r = runWithTeardownBudget(Duration.ofMillis(100));
    assertTrue(r.extendedError().contains("ProbeFailed"), r.extendedError());
    assertTrue(Files.exists(MarkerStore.markerFile(runDir())));
  }

  // ---------------------------------------------------------------- listeners

  @Test
  void throwingListenerDoesNotBreakTheRun() throws IOException {
    SandboxListener thrower = new SandboxListener() {
      @Override public void prepareStart(String sandboxId) { throw new IllegalStateException("listener bug"); }
      @Override public void prepareEnd(String sandboxId) { throw new IllegalStateException("listener bug"); }
      @Override public void launchStart(String sandboxId) { throw new IllegalStateException("listener bug"); }
      @Override public void launchEnd(String sandboxId) { throw new IllegalStateException("listener bug"); }
      @Override public void rendezvousStart(String sandboxId) { throw new IllegalStateException("listener bug"); }
      @Override public void rendezvousFailed(String sandboxId, SandboxException e) { throw new IllegalStateException("bug"); }
      @Override public void teardownStart(String sandboxId) { throw new IllegalStateException("listener bug"); }
      @Override public void teardownEnd(String sandboxId) { throw new IllegalStateException("listener bug"); }
    };
    ExecutionResult r = OneShotRunner.builder(driver).stateRoot(root).listener(thrower)
        .rendezvousPoll(Duration.ofMillis(10)).rendezvousTimeout(SHORT_RENDEZVOUS).build()
        .run(ExecutionRequest.builder("echo never").build());
    assertEquals(FailurePhase.LAUNCH_FAILED, r.failurePhase());
    assertTrue(r.errorMessage().contains("did not advertise"), r.errorMessage());
    assertEquals(List.of(List.of(FakeDriver.SANDBOX)), driver.terminated);
    assertEquals(List.of(), children(root), "teardown still ran");
  }

  // ---------------------------------------------------------------- cleanup()

  @Test
  void cleanupErrorPaths() throws Exception {
    SessionSettings settings = SessionSettings.defaults().withStateRoot(root)
        .withRendezvous(Duration.ofMillis(10), SHORT_RENDEZVOUS).withForceReclaim(false);
    assertEquals("nothing to clean up under " + root, OneShotRun.cleanup(driver, settings));

    Path a = root.resolve("a");
    Path b = root.resolve("b");
    driver.reconcile = new ReconcileResult.Proceed(Optional.of("reclaimed a stale slot"), List.of(a, b));
    assertEquals("reclaimed a stale slot\nremoved " + a + "\nremoved " + b, OneShotRun.cleanup(driver, settings),
        "a line per removed run dir (the CLI prints them), the note first");

    driver.reconcile = new ReconcileResult.Busy(BusyReason.PROBE_FAILED, "could not enumerate processes");
    SandboxException busy = org.junit.jupiter.api.Assertions.assertThrows(SandboxException.class,
        () -> OneShotRun.cleanup(driver, settings));
    assertEquals(FailurePhase.REJECTED, busy.phase(), "a refusal, not a failure");
    assertEquals("could not enumerate processes", busy.getMessage());

    driver.slot = wait -> Optional.empty();
    SandboxException held = org.junit.jupiter.api.Assertions.assertThrows(SandboxException.class,
        () -> OneShotRun.cleanup(driver, settings));
    assertEquals(FailurePhase.REJECTED, held.phase());
    assertEquals("another " + driver.name() + " sandbox owner holds the host slot (waited 5 s)", held.getMessage());

    driver.slot = wait -> {
      throw new IOException("mutex broken");
    };
    SandboxException broken = org.junit.jupiter.api.Assertions.assertThrows(SandboxException.class,
        () -> OneShotRun.cleanup(driver, settings));
    assertEquals("could not take the host slot", broken.getMessage());
    assertEquals(FailurePhase.LAUNCH_FAILED, broken.phase(), "a failure, not a refusal");
    assertEquals("mutex broken", broken.detail());

    driver.slot = HostSlot.NONE;
    Path notAFolder = Files.writeString(root.resolve("state-is-a-file"), "x");
    SandboxException state = org.junit.jupiter.api.Assertions.assertThrows(SandboxException.class,
        () -> OneShotRun.cleanup(driver, settings.withStateRoot(notAFolder)));
    assertEquals(FailurePhase.LAUNCH_FAILED, state.phase());
    assertEquals("cannot open the state directory " + notAFolder, state.getMessage());
  }
}
