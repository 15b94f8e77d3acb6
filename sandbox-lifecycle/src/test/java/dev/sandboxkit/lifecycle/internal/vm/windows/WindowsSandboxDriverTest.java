package dev.sandboxkit.lifecycle.internal.vm.windows;

import dev.sandboxkit.lifecycle.internal.vm.DriverSpi;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.lifecycle.FailurePhase;
import dev.sandboxkit.lifecycle.NetworkAccess;
import dev.sandboxkit.lifecycle.SandboxDriver;
import dev.sandboxkit.SandboxDrivers;
import dev.sandboxkit.lifecycle.SandboxException;
import dev.sandboxkit.lifecycle.SandboxPolicy;
import dev.sandboxkit.lifecycle.internal.controlplane.HostSlot;
import dev.sandboxkit.lifecycle.internal.controlplane.VmProcId;
import dev.sandboxkit.lifecycle.internal.policy.MappedFolder;
import dev.sandboxkit.lifecycle.internal.policy.PolicyPlan;
import dev.sandboxkit.lifecycle.internal.teardown.Marker;
import dev.sandboxkit.lifecycle.internal.teardown.MarkerStore;
import dev.sandboxkit.lifecycle.internal.teardown.ReconcileDecision.BusyReason;
import dev.sandboxkit.lifecycle.internal.teardown.ReconcileResult;
import dev.sandboxkit.lifecycle.internal.teardown.VmOwnership;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class WindowsSandboxDriverTest {
  @TempDir Path tmp;

  private FakePlatform fake;
  private WindowsSandboxDriver driver;

  private void host(boolean withExe) {
    fake = new FakePlatform(tmp, withExe);
    driver = new WindowsSandboxDriver(fake.platform(), WindowsSandboxSettings.DEFAULT);
  }

  /** sandboxkit prepare / Builder.prepare(): Windows Sandbox keeps no archive, so nothing is done, and nothing fails. */
  @Test
  void prepareAheadHasNothingToDoAndSaysSo() throws Exception {
    host(true);
    java.util.List<String> events = new java.util.ArrayList<>();
    dev.sandboxkit.lifecycle.PrepareResult r = driver.prepareAhead(new DriverSpi.Ahead(tmp.resolve("guest.jar"),
        tmp, Optional.of(tmp.resolve("cds")), Optional.empty(), new dev.sandboxkit.lifecycle.internal.vm.ArchiveEvents() {
          @Override
          public void start() {
            events.add("start");
          }
        }));
    assertEquals(dev.sandboxkit.lifecycle.PrepareResult.Status.NOT_APPLICABLE, r.status());
    assertEquals("the windows-sandbox driver keeps no class-data archive", r.detail());
    assertTrue(r.ok());
    assertEquals(java.util.List.of(), events);
    assertFalse(java.nio.file.Files.exists(tmp.resolve("cds")));
  }

  @Test
  @DisabledOnOs(OS.WINDOWS)
  void theRealDriverIsConstructibleAndAnswersOnLinuxWithoutNativeCalls() {
    WindowsSandboxDriver real = new WindowsSandboxDriver();
    assertEquals("windows-sandbox", real.name());
    assertEquals(DriverSpi.Transport.TCP, real.transport());
    List<SandboxDriver.Check> checks = real.prerequisites();
    assertEquals(1, checks.size());
    assertFalse(checks.get(0).ok());
    assertEquals("Windows host", checks.get(0).name());
    SandboxException e = assertThrows(SandboxException.class, () -> real.checkEnforceable(SandboxPolicy.DEFAULT));
    assertEquals(FailurePhase.REJECTED, e.phase());
    assertTrue(e.getMessage().contains("only on Windows"), e.getMessage());
    assertInstanceOf(ReconcileResult.Busy.class, real.reconcile(new MarkerStore(tmp), false));
  }

  @Test
  void selectableByNameThroughSandboxDrivers() {
    assertInstanceOf(WindowsSandboxDriver.class, SandboxDrivers.byName("windows-sandbox"));
  }

  @Test
  void missingFeatureIsRejectedNamingTheOptionalFeature() {
    host(false);
    SandboxException e = assertThrows(SandboxException.class, () -> driver.checkEnforceable(SandboxPolicy.DEFAULT));
    assertEquals(FailurePhase.REJECTED, e.phase());
    assertTrue(e.getMessage().contains("Containers-DisposableClientVM"), e.getMessage());
    assertTrue(e.getMessage().contains("reboot"), e.getMessage());
    List<SandboxDriver.Check> checks = driver.prerequisites();
    assertTrue(checks.get(0).ok());
    assertFalse(checks.get(1).ok());
    assertTrue(checks.get(1).fix().contains("Enable-WindowsOptionalFeature"), checks.get(1).fix());
  }

  @Test
  void availableHostPlansThePolicy() throws Exception {
    host(true);
    Path work = Files.createDirectory(tmp.resolve("work"));
    PolicyPlan plan = driver.checkEnforceable(SandboxPolicy.builder().readWrite(work).build());
    assertEquals(List.of(new MappedFolder(work.toRealPath(), false)), plan.mappedFolders());
    assertTrue(driver.prerequisites().get(1).ok());
  }

  @Test
  void networkAllowIsRejectedAfterAvailability() {
    host(true);
    SandboxException e = assertThrows(SandboxException.class,
        () -> driver.checkEnforceable(SandboxPolicy.builder().network(NetworkAccess.ALLOW).build()));
    assertEquals(FailurePhase.REJECTED, e.phase());
    assertTrue(e.detail().contains("outbound network access"), e.detail());
    assertEquals("The request's policy cannot be enforced by the windows-sandbox driver.", e.getMessage());
  }

  /** Host lists and a proxy are refused by the planner's network rules, before the Windows rules (limits). */
  @Test
  void hostListsAndProxiesAreRejectedBeforeTheWindowsRules() {
    host(true);
    for (SandboxPolicy p : List.of(SandboxPolicy.builder().allowedHosts(List.of("example.com")).cpuLimit(2).build(),
        SandboxPolicy.builder().blockedHosts(List.of("example.com")).cpuLimit(2).build())) {
      SandboxException e = assertThrows(SandboxException.class, () -> driver.checkEnforceable(p));
      assertEquals(FailurePhase.REJECTED, e.phase());
      assertTrue(e.detail().startsWith("per-host network filtering (allowedHosts"), e.detail());
    }
    SandboxException proxy = assertThrows(SandboxException.class,
        () -> driver.checkEnforceable(SandboxPolicy.builder().proxy("http://p:8080").cpuLimit(2).build()));
    assertTrue(proxy.detail().startsWith("a network proxy is not supported by the windows-sandbox driver"),
        proxy.detail());
  }

  private DriverSpi.Launch launch(List<MappedFolder> mounts) throws IOException {
    Path runDir = Files.createDirectories(tmp.resolve("oneshot").resolve("run"));
    Path rdv = Files.createDirectories(runDir.resolve("rendezvous"));
    Path jarDir = Files.createDirectories(tmp.resolve("lib"));
    return new DriverSpi.Launch(UUID.randomUUID(), runDir, rdv,
        new PolicyPlan(mounts, List.of(), NetworkAccess.BLOCK), jarDir.resolve("sandboxkit-guest.jar"),
        tmp.resolve("jdk"));
  }

  @Test
  void prepareWritesTheGeneratedFilesOwnerOnlyAndProtected() throws Exception {
    host(true);
    Path data = tmp.resolve("data");
    DriverSpi.Launch l = launch(List.of(new MappedFolder(data, true)));
    driver.prepare(l);
    Path wsb = l.runDir().resolve("config").resolve("sandboxkit.wsb");
    Path cmd = l.rendezvousDir().resolve("bootstrap.cmd");
    String expectedWsb = WsbFile.render(WsbFile.folders(tmp.resolve("lib").toString(), tmp.resolve("jdk").toString(),
        l.rendezvousDir().toString(), List.of(new WsbFile.Folder(data.toString(), data.toString(), true))),
        WsbFile.logonCommand(WsbFile.BOOTSTRAP), OptionalLong.empty());
    assertEquals(expectedWsb, Files.readString(wsb, StandardCharsets.UTF_8));
    assertEquals(BootstrapScript.render("sandboxkit-guest.jar", BootstrapScript.DEFAULT_JVM_OPTIONS),
        Files.readString(cmd, StandardCharsets.US_ASCII));
    for (Path p : List.of(l.runDir(), l.rendezvousDir(), wsb.getParent(), wsb, cmd)) {
      assertTrue(fake.dacl.isProtected(p), "protected: " + p);
    }
  }

  @Test
  void settingsOverrideJavaHomeAndMemory() throws Exception {
    fake = new FakePlatform(tmp, true);
    driver = new WindowsSandboxDriver(fake.platform(), new WindowsSandboxSettings(
        Optional.of(Path.of("C:\\jdk-21")), OptionalLong.of(2048), BootstrapScript.DEFAULT_JVM_OPTIONS));
    DriverSpi.Launch l = launch(List.of());
    driver.prepare(l);
    String wsb = Files.readString(l.runDir().resolve("config/sandboxkit.wsb"));
    assertTrue(wsb.contains("<HostFolder>C:\\jdk-21</HostFolder>"), wsb);
    assertTrue(wsb.contains("<MemoryInMB>2048</MemoryInMB>"), wsb);
  }

  @Test
  void aMappingThatContainsTheRunsOwnFoldersIsRejected() throws Exception {
    host(true);
    DriverSpi.Launch l = launch(List.of(new MappedFolder(tmp, false)));
    SandboxException e = assertThrows(SandboxException.class, () -> driver.prepare(l));
    assertEquals(FailurePhase.REJECTED, e.phase());
    assertTrue(e.detail().contains("contains the Java runtime"), e.detail());
    assertFalse(Files.exists(l.runDir().resolve("config")), "nothing written");
  }

  @Test
  void prepareRejectsWhatCannotBeWritten() throws Exception {
    host(true);
    DriverSpi.Launch l = launch(List.of());
    DriverSpi.Launch bad = new DriverSpi.Launch(l.runId(), l.runDir(), l.rendezvousDir(), l.plan(),
        tmp.resolve("lib").resolve("gäst.jar"), l.javaHome());
    SandboxException e = assertThrows(SandboxException.class, () -> driver.prepare(bad));
    assertEquals(FailurePhase.REJECTED, e.phase());
    assertTrue(e.detail().contains("ASCII"), e.detail());
  }

  @Test
  void prepareFailsWhenTheFilesCannotBeSecured() throws Exception {
    host(true);
    fake.dacl.failure = new IOException("denied");
    SandboxException e = assertThrows(SandboxException.class, () -> driver.prepare(launch(List.of())));
    assertEquals(FailurePhase.LAUNCH_FAILED, e.phase());
    assertTrue(e.detail().contains("denied"), e.detail());
  }

  @Test
  void launchCapturesProofAndWalksTheOwnershipStates() throws Exception {
    host(true);
    DriverSpi.Launch l = launch(List.of());
    WindowsSandboxInstance i = (WindowsSandboxInstance) driver.prepare(l);
    assertEquals(VmOwnership.NOT_LAUNCHED, i.ownership());
    i.launch();
    assertEquals(List.of(List.of(fake.system32.resolve("WindowsSandbox.exe").toString(),
        l.runDir().resolve("config/sandboxkit.wsb").toAbsolutePath().toString())), fake.launches);
    List<VmProcId> expected =
        List.of(new VmProcId(5001, 133_485_408_100_000_000L), new VmProcId(5002, 133_485_408_200_000_000L));
    assertEquals(new VmOwnership.Owned(expected), i.ownership(), "new processes seen as the launcher exited");
    List<VmProcId> proof = i.captureProof();
    assertEquals(expected, proof, "vmmem is not a host process");
    assertEquals(new VmOwnership.Owned(proof), i.ownership());
    assertTrue(i.liveness().alive());
    assertThrows(IllegalStateException.class, i::launch, "launched at most once");
  }

  @Test
  void livenessStaysAliveWhileAnyHostProcessRunsAndReportsTheLogWhenGone() throws Exception {
    host(true);
    DriverSpi.Launch l = launch(List.of());
    WindowsSandboxInstance i = (WindowsSandboxInstance) driver.prepare(l);
    i.launch();
    i.captureProof();
    fake.processes.remove(5001);
    fake.processes.remove(5002);
    fake.processes.add(5100, "WindowsSandboxClient.exe", 7);
    assertTrue(i.liveness().alive(), "a later helper of our VM (singleton)");
    fake.processes.remove(5100);
    Files.writeString(l.rendezvousDir().resolve("bootstrap.log"), "java.exe: not found\r\n");
    DriverSpi.Liveness dead = i.liveness();
    assertFalse(dead.alive());
    assertTrue(dead.diagnostics().contains("java.exe: not found"), dead.diagnostics());
    fake.processes.snapshotFailure = new Win32Exception("CreateToolhelp32Snapshot", 8, "x");
    assertTrue(i.liveness().alive(), "a failed probe is not a death certificate");
  }

  @Test
  void nonZeroLauncherExitFailsAndStaysInFlight() throws Exception {
    host(true);
    fake.launcherExit = 3;
    fake.startsVm = false;
    WindowsSandboxInstance i = (WindowsSandboxInstance) driver.prepare(launch(List.of()));
    SandboxException e = assertThrows(SandboxException.class, i::launch);
    assertEquals(FailurePhase.LAUNCH_FAILED, e.phase());
    assertTrue(e.detail().contains("exited with code 3"), e.detail());
    assertEquals(VmOwnership.LAUNCH_IN_FLIGHT, i.ownership());
    assertTrue(i.mayHaveStarted());
    assertEquals(WindowsSandboxInstance.NONZERO_EXIT_GRACE, fake.timing.total(), "waited for a late VM");
    fake.timing.sleeps.clear();
    i.close();
    assertEquals(List.of(), fake.timing.sleeps, "no cooldown: nothing of ours was launched");
  }

  @Test
  void launcherSpawnFailureFailsAndStaysInFlight() throws Exception {
    host(true);
    fake.launcherFailure = new IOException("CreateProcess error=2");
    WindowsSandboxInstance i = (WindowsSandboxInstance) driver.prepare(launch(List.of()));
    SandboxException e = assertThrows(SandboxException.class, i::launch);
    assertTrue(e.detail().contains("CreateProcess error=2"), e.detail());
    assertEquals(VmOwnership.LAUNCH_IN_FLIGHT, i.ownership());
    assertFalse(i.mayHaveStarted(), "the spawn failed: nothing can be running");
  }

  /** W7: after the handshake the proof grows by what joined (union), and never loses an identity. */
  @Test
  void refreshProofAddsIdentitiesThatJoinedAndKeepsTheOldOnes() throws Exception {
    host(true);
    WindowsSandboxInstance i = (WindowsSandboxInstance) driver.prepare(launch(List.of()));
    i.launch();
    List<VmProcId> proof = i.captureProof();
    assertEquals(proof, i.refreshProof(proof), "nothing new: unchanged");
    fake.processes.remove(5001); // an early process exited
    fake.processes.add(5100, "WindowsSandboxClient.exe", 77);
    List<VmProcId> union = new java.util.ArrayList<>(proof);
    union.add(new VmProcId(5100, 77));
    assertEquals(union, i.refreshProof(proof));
    assertEquals(new VmOwnership.Owned(union), i.ownership());
    fake.processes.snapshotFailure = new Win32Exception("CreateToolhelp32Snapshot", 8, "x");
    assertEquals(union, i.refreshProof(union), "a failed probe changes nothing");
  }

  @Test
  void refreshProofClaimsNothingOfAFailedLaunch() throws Exception {
    host(true);
    fake.launcherExit = 2;
    fake.startsVm = false;
    WindowsSandboxInstance i = (WindowsSandboxInstance) driver.prepare(launch(List.of()));
    assertThrows(SandboxException.class, i::launch);
    fake.processes.add(5100, "WindowsSandboxClient.exe", 77);
    assertEquals(List.of(), i.refreshProof(List.of()));
    assertEquals(VmOwnership.LAUNCH_IN_FLIGHT, i.ownership());
  }

  /** W13: exit 0 while a foreign sandbox ran and nothing new appeared is not our VM. */
  @Test
  void exitZeroThatOnlyFocusedAForeignSandboxClaimsNothing() throws Exception {
    host(true);
    fake.processes.add(900, "WindowsSandbox.exe", 42).add(901, "WindowsSandboxServer.exe", 43);
    fake.startsVm = false;
    WindowsSandboxInstance i = (WindowsSandboxInstance) driver.prepare(launch(List.of()));
    SandboxException e = assertThrows(SandboxException.class, i::launch);
    assertEquals(FailurePhase.LAUNCH_FAILED, e.phase());
    assertTrue(e.detail().contains("already running (pid 900, pid 901)"), e.detail());
    assertEquals(VmOwnership.LAUNCH_IN_FLIGHT, i.ownership(), "in flight: nothing is torn down");
  }

  /** W13: only the identities that appeared are claimed, never what ran before the launch. */
  @Test
  void theProofHoldsOnlyIdentitiesThatAppearedAfterTheLaunch() throws Exception {
    host(true);
    fake.processes.add(900, "WindowsSandboxServer.exe", 42);
    fake.startsVm = false;
    WindowsSandboxInstance i = (WindowsSandboxInstance) driver.prepare(launch(List.of()));
    fake.timing.onSleep = () -> fake.processes.add(5001, "WindowsSandboxClient.exe", 7);
    assertThrows(SandboxException.class, i::launch, "exit 0 with only the old process: refused");
    host(true);
    fake.processes.add(900, "WindowsSandboxServer.exe", 42);
    WindowsSandboxInstance j = (WindowsSandboxInstance) driver.prepare(launch(List.of()));
    j.launch();
    List<VmProcId> ours =
        List.of(new VmProcId(5001, 133_485_408_100_000_000L), new VmProcId(5002, 133_485_408_200_000_000L));
    assertEquals(new VmOwnership.Owned(ours), j.ownership(), "pid 900 ran before the launch");
    assertEquals(ours, j.captureProof());
  }

  /** W13: a non-zero exit after which a VM did start is ours, so it is torn down with the run. */
  @Test
  void nonZeroExitAfterWhichAVmStartedIsOwned() throws Exception {
    host(true);
    fake.launcherExit = 1;
    WindowsSandboxInstance i = (WindowsSandboxInstance) driver.prepare(launch(List.of()));
    i.launch();
    assertEquals(new VmOwnership.Owned(List.of(new VmProcId(5001, 133_485_408_100_000_000L),
        new VmProcId(5002, 133_485_408_200_000_000L))), i.ownership());
    assertEquals(List.of(), fake.timing.sleeps);
  }

  @Test
  void nonZeroExitWithAVmThatAppearsWithinTheGraceIsOwned() throws Exception {
    host(true);
    fake.launcherExit = 1;
    fake.startsVm = false;
    WindowsSandboxInstance i = (WindowsSandboxInstance) driver.prepare(launch(List.of()));
    fake.timing.onSleep = () -> fake.processes.add(5001, "WindowsSandboxClient.exe", 7);
    i.launch();
    assertEquals(new VmOwnership.Owned(List.of(new VmProcId(5001, 7))), i.ownership());
  }

  @Test
  void aProbeFailureBeforeTheLaunchStartsNothing() throws Exception {
    host(true);
    WindowsSandboxInstance i = (WindowsSandboxInstance) driver.prepare(launch(List.of()));
    fake.processes.snapshotFailure = new Win32Exception("CreateToolhelp32Snapshot", 8, "x");
    SandboxException e = assertThrows(SandboxException.class, i::launch);
    assertTrue(e.detail().contains("nothing was started"), e.detail());
    assertEquals(List.of(), fake.launches);
    assertFalse(i.mayHaveStarted());
  }

  @Test
  void aLauncherThatTimedOutMayHaveStartedAVm() throws Exception {
    host(true);
    fake.launcherFailure = new SandboxLauncher.TimedOut("WindowsSandbox.exe did not exit within 120 s");
    WindowsSandboxInstance i = (WindowsSandboxInstance) driver.prepare(launch(List.of()));
    SandboxException e = assertThrows(SandboxException.class, i::launch);
    assertTrue(e.detail().contains("did not exit within 120 s; it was stopped"), e.detail());
    assertTrue(i.mayHaveStarted());
    assertEquals(VmOwnership.LAUNCH_IN_FLIGHT, i.ownership());
  }

  @Test
  void noProcessSeenWithin30sGivesEmptyProofAndKeepsLaunchSucceededNoProof() throws Exception {
    host(true);
    fake.startsVm = false;
    WindowsSandboxInstance i = (WindowsSandboxInstance) driver.prepare(launch(List.of()));
    i.launch();
    assertEquals(List.of(), i.captureProof());
    assertEquals(VmOwnership.LAUNCH_SUCCEEDED_NO_PROOF, i.ownership());
    assertEquals(Duration.ofSeconds(30), fake.timing.total());
  }

  @Test
  void closeCoolsDownOnceAfterALaunchedVm() throws Exception {
    host(true);
    WindowsSandboxInstance i = (WindowsSandboxInstance) driver.prepare(launch(List.of()));
    i.launch();
    i.captureProof();
    i.close();
    i.close();
    assertEquals(List.of(Duration.ofSeconds(5)), fake.timing.sleeps);
  }

  @Test
  void hostSlotIsTheNamedMutex() throws Exception {
    host(true);
    HostSlot slot = driver.hostSlot();
    assertInstanceOf(NamedMutexHostSlot.class, slot);
    HostSlot.Lease lease = slot.tryAcquire(Duration.ofSeconds(5)).orElseThrow();
    try {
      assertTrue(driver.hostSlot().tryAcquire(Duration.ofMillis(10)).isEmpty());
    } finally {
      lease.close();
    }
    driver.hostSlot().tryAcquire(Duration.ofMillis(10)).orElseThrow().close();
  }

  @Test
  void killerIsTheWindowsProcessTable() {
    host(true);
    fake.processes.add(9, "WindowsSandbox.exe", 90);
    assertEquals(List.of(new VmProcId(9, 90)), driver.killer().snapshot().orElseThrow().identified());
  }

  @Test
  void reconcileWithNoVmProceedsAndProtectsTheRoot() throws Exception {
    host(true);
    MarkerStore store = new MarkerStore(tmp.resolve("oneshot"));
    ReconcileResult r = driver.reconcile(store, false);
    assertInstanceOf(ReconcileResult.Proceed.class, r);
    assertTrue(fake.dacl.isProtected(store.root()));
    assertEquals(List.of(), fake.timing.sleeps, "no cooldown without a reclaim");
  }

  @Test
  void reconcileRefusesAnUnprovableVmAndProbeFailures() {
    host(true);
    MarkerStore store = new MarkerStore(tmp.resolve("oneshot"));
    fake.processes.add(9, "WindowsSandbox.exe", 90);
    ReconcileResult r = driver.reconcile(store, false);
    assertEquals(BusyReason.FOREIGN_UNPROVABLE, ((ReconcileResult.Busy) r).reason());
    assertTrue(fake.processes.table.containsKey(9L), "nothing killed");
    fake.processes.snapshotFailure = new Win32Exception("CreateToolhelp32Snapshot", 8, "x");
    assertEquals(BusyReason.PROBE_FAILED, ((ReconcileResult.Busy) driver.reconcile(store, true)).reason());
  }

  @Test
  void reconcileReclaimsAnOrphanProvenByADeadLaunchersMarkerThenCoolsDown() throws Exception {
    host(true);
    MarkerStore store = new MarkerStore(tmp.resolve("oneshot"));
    store.secureRoot();
    Path orphan = store.createRunDir();
    VmProcId vm = new VmProcId(9, 90);
    store.write(orphan, new Marker(4_000_000_000L, 1L, List.of(vm)));
    fake.processes.add(9, "WindowsSandbox.exe", 90).add(10, "WindowsSandboxClient.exe", 100);
    ReconcileResult r = driver.reconcile(store, false);
    ReconcileResult.Proceed p = assertInstanceOf(ReconcileResult.Proceed.class, r);
    assertTrue(p.note().orElseThrow().contains("reclaimed"), p.note().get());
    assertEquals(List.of(vm, new VmProcId(10, 100)), fake.processes.terminated, "proof, then widened");
    assertFalse(Files.exists(orphan));
    assertEquals(List.of(Duration.ofSeconds(5)), fake.timing.sleeps);
  }
}
