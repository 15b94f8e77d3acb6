package dev.sandboxkit.lifecycle.internal.vm.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.lifecycle.internal.controlplane.HostSnapshot;
import dev.sandboxkit.lifecycle.internal.controlplane.VmProcId;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WindowsSandboxProcessesTest {
  private final FakeWin32Processes win32 = new FakeWin32Processes();
  private final WindowsSandboxProcesses processes = new WindowsSandboxProcesses(win32);

  @Test
  void matchesTheImageNamePrefixIgnoringCase() {
    for (String name : List.of("WindowsSandbox.exe", "WindowsSandboxServer.exe", "WindowsSandboxRemoteSession.exe",
        "WindowsSandboxClient.exe", "WINDOWSSANDBOX.EXE", "windowssandbox.exe")) {
      assertTrue(WindowsSandboxProcesses.isSandboxHostProcess(name), name);
    }
    for (String name : List.of("vmmem", "vmmemWindowsSandbox", "MyWindowsSandbox.exe", "Windows Sandbox.exe",
        "WindowsSandbo", "", "java.exe")) {
      assertFalse(WindowsSandboxProcesses.isSandboxHostProcess(name), name);
    }
  }

  @Test
  void prefixMatchDoesNotDependOnTheDefaultLocale() {
    Locale saved = Locale.getDefault();
    try {
      Locale.setDefault(Locale.forLanguageTag("tr-TR")); // 'I' lowercases to dotless 'ı' in Turkish
      assertTrue(WindowsSandboxProcesses.isSandboxHostProcess("WINDOWSSANDBOXCLIENT.EXE"));
    } finally {
      Locale.setDefault(saved);
    }
  }

  @Test
  void snapshotIdentifiesMatchingProcessesInEnumerationOrder() {
    win32.add(10, "WindowsSandbox.exe", 111).add(11, "java.exe", 222).add(12, "WindowsSandboxServer.exe", 333);
    HostSnapshot s = processes.snapshot().orElseThrow();
    assertEquals(List.of(new VmProcId(10, 111), new VmProcId(12, 333)), s.identified());
    assertEquals(List.of(), s.unidentifiable());
  }

  @Test
  void unopenableMatchingProcessesAreUnidentifiableNotDropped() {
    win32.add(10, "WindowsSandbox.exe", 111).addUnopenable(13, "WindowsSandboxRemoteSession.exe")
        .addUnopenable(14, "svchost.exe");
    HostSnapshot s = processes.snapshot().orElseThrow();
    assertEquals(List.of(new VmProcId(10, 111)), s.identified());
    assertEquals(List.of(13L), s.unidentifiable());
    assertTrue(s.anyPresent());
  }

  /** Finding 10: the deliberate table of image names. */
  @Test
  void imageNameTable() {
    for (String vm : List.of("WindowsSandbox.exe", "WINDOWSSANDBOXCLIENT.EXE", "WindowsSandboxRemoteSession.exe",
        "windowssandboxserver.exe")) {
      assertEquals(SandboxImageNames.Role.VM, SandboxImageNames.role(vm), vm);
    }
    for (String helper : List.of("WindowsSandboxVmmemService.exe", "WindowsSandboxHelper.exe", "WindowsSandbox")) {
      assertEquals(SandboxImageNames.Role.HELPER, SandboxImageNames.role(helper), helper);
    }
    for (String none : List.of("vmmem", "vmmemWindowsSandbox", "vmwp.exe", "MyWindowsSandbox.exe", "java.exe", "")) {
      assertEquals(SandboxImageNames.Role.NONE, SandboxImageNames.role(none), none);
    }
  }

  /**
   * A SYSTEM helper that cannot be opened proves no VM and must not make every run busy; the VM's
   * own processes still fail closed when they cannot be opened.
   */
  @Test
  void anUnopenableHelperIsIgnoredButAnUnopenableVmProcessIsNot() {
    win32.addUnopenable(20, "WindowsSandboxVmmemService.exe");
    HostSnapshot s = processes.snapshot().orElseThrow();
    assertEquals(HostSnapshot.EMPTY, s);
    assertFalse(s.anyPresent());
    win32.addUnopenable(21, "WindowsSandboxServer.exe");
    assertEquals(List.of(21L), processes.snapshot().orElseThrow().unidentifiable());
  }

  /** A helper we can open is part of the snapshot: a helper of our own VM is torn down with it. */
  @Test
  void anOpenableHelperIsIdentified() {
    win32.add(20, "WindowsSandboxVmmemService.exe", 555).add(10, "WindowsSandbox.exe", 111);
    assertEquals(List.of(new VmProcId(20, 555), new VmProcId(10, 111)), processes.snapshot().orElseThrow().identified());
  }

  @Test
  void enumerationFailureIsAProbeFailureNotAnEmptySnapshot() {
    win32.add(10, "WindowsSandbox.exe", 111);
    win32.snapshotFailure = new Win32Exception("Process32FirstW", 5, "could not enumerate host processes");
    assertEquals(Optional.empty(), processes.snapshot());
  }

  @Test
  void pidZeroIsNeverProbedOrKilled() {
    assertTrue(processes.runningCreationTime(0).isEmpty());
    assertEquals(0, processes.terminate(List.of(new VmProcId(0, 5))));
  }

  @Test
  void terminateKillsOnlyExactIdentities() {
    win32.add(10, "WindowsSandbox.exe", 111).add(12, "WindowsSandboxServer.exe", 333);
    int killed = processes.terminate(List.of(new VmProcId(10, 111), new VmProcId(12, 334), new VmProcId(99, 1)));
    assertEquals(1, killed);
    assertEquals(List.of(new VmProcId(10, 111)), win32.terminated);
    assertTrue(win32.table.containsKey(12L), "a recycled pid (other creation time) survives");
  }

  @Test
  void stillRunningJudgesByIdentityNotByPrefix() {
    win32.add(10, "WindowsSandbox.exe", 111).add(20, "WindowsSandbox.exe", 999);
    VmProcId ours = new VmProcId(10, 111);
    assertEquals(Optional.of(List.of(ours)), processes.stillRunning(List.of(ours, new VmProcId(11, 5))));
    win32.remove(10);
    // A foreign WindowsSandbox process (pid 20) does not keep ours "running" (W6).
    assertEquals(Optional.of(List.of()), processes.stillRunning(List.of(ours)));
  }

  @Test
  void isAliveNeedsTheSameCreationTime() {
    win32.add(10, "WindowsSandbox.exe", 111);
    assertTrue(processes.isAlive(new VmProcId(10, 111)));
    assertFalse(processes.isAlive(new VmProcId(10, 111 ^ 0xFFFF)));
  }
}
