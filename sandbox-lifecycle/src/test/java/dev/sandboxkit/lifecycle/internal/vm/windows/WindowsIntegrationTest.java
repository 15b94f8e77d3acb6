package dev.sandboxkit.lifecycle.internal.vm.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.platform.win32.Tlhelp32;
import dev.sandboxkit.lifecycle.internal.controlplane.HostSlot;
import dev.sandboxkit.lifecycle.internal.controlplane.OwnerOnly;
import dev.sandboxkit.lifecycle.internal.controlplane.VmProcId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The thin Win32 layer against a real Windows host. Never faked; skipped elsewhere. Run on Windows:
 * {@code mvn -B -ntp -pl sandbox-lifecycle -am verify -Dsandboxkit.windows.it=true
 * -Dtest=WindowsIntegrationTest -Dsurefire.failIfNoSpecifiedTests=false}.
 * The last test also starts a real Windows Sandbox VM when {@code -Dsandboxkit.windows.vm=true}.
 */
@EnabledOnOs(OS.WINDOWS)
@EnabledIfSystemProperty(named = "sandboxkit.windows.it", matches = "true")
@Timeout(120)
class WindowsIntegrationTest {
  private final Kernel32Api k32 = Kernel32Api.load();
  private final JnaWin32Processes win32 = new JnaWin32Processes(() -> k32);

  @Test
  void structureSizesOnThisWindows() {
    assertEquals(ProcessEntry32W.expectedSize(com.sun.jna.Native.POINTER_SIZE), new ProcessEntry32W().size());
    assertEquals(new Tlhelp32.PROCESSENTRY32().size(), new ProcessEntry32W().size());
  }

  @Test
  void systemDirectoryIsAnExistingDirectory() throws Exception {
    Path dir = SystemDirectory.win32(k32).get();
    assertTrue(Files.isDirectory(dir), dir.toString());
    assertTrue(Files.isRegularFile(dir.resolve("kernel32.dll")), dir.toString());
  }

  @Test
  void enumerationFindsThisProcessWithItsExactCreationTime() throws Exception {
    long me = ProcessHandle.current().pid();
    List<Win32Processes.Entry> entries = win32.snapshot();
    Win32Processes.Entry self = entries.stream().filter(e -> e.pid() == me).findFirst().orElseThrow();
    assertTrue(self.imageName().toLowerCase(java.util.Locale.ROOT).startsWith("java"), self.imageName());
    OptionalLong plain = win32.creationTime(me);
    assertTrue(plain.isPresent());
    assertEquals(plain, win32.runningCreationTime(me));
    long jdkMillis = ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli();
    assertEquals(jdkMillis, dev.sandboxkit.lifecycle.internal.controlplane.Filetime.toInstant(plain.getAsLong())
        .toEpochMilli());
    assertTrue(win32.creationTime(0).isEmpty());
  }

  @Test
  void terminateChecksTheCreationTimeOnTheSameHandle() throws Exception {
    Process child = new ProcessBuilder("cmd.exe", "/c", "ping -n 60 127.0.0.1 >nul").start();
    try {
      long ct = win32.creationTime(child.pid()).orElseThrow();
      assertFalse(win32.terminateIfSame(new VmProcId(child.pid(), ct + 1)));
      assertTrue(child.isAlive());
      assertTrue(win32.terminateIfSame(new VmProcId(child.pid(), ct)));
      assertTrue(child.waitFor(10, TimeUnit.SECONDS));
      assertEquals(1, child.exitValue());
      assertTrue(win32.runningCreationTime(child.pid()).isEmpty(), "exited, though our Process holds a handle");
    } finally {
      child.destroyForcibly();
    }
  }

  @Test
  void namedMutexContentionIsBusyAndReleaseFreesIt() throws Exception {
    NamedMutexHostSlot slot = new NamedMutexHostSlot(new JnaWin32Mutex(() -> k32),
        "Local\\sandboxkit-test-" + UUID.randomUUID(), NamedMutexHostSlot.ANSWER_MARGIN);
    HostSlot.Lease first = slot.tryAcquire(Duration.ofSeconds(1)).orElseThrow();
    assertTrue(slot.tryAcquire(Duration.ofMillis(50)).isEmpty());
    first.close();
    slot.tryAcquire(Duration.ofMillis(50)).orElseThrow().close();
  }

  @Test
  void ownerOnlyDirectoryHasAProtectedDacl(@TempDir Path tmp) throws Exception {
    DaclProtector dacl = DaclProtector.win32();
    Path dir = new WindowsOwnerOnly(dacl).secureDirectory(tmp.resolve("secured"));
    assertTrue(dacl.isProtected(dir));
    OwnerOnly.verifyOwner(dir);
    Path file = new WindowsOwnerOnly(dacl).writeFile(dir.resolve("f.txt"), new byte[] {1});
    assertTrue(dacl.isProtected(file));
  }

  @Test
  @EnabledIfSystemProperty(named = "sandboxkit.windows.vm", matches = "true")
  void aRealSandboxLaunchIsSeenAndTornDown(@TempDir Path tmp) throws Exception {
    WindowsSandboxProcesses processes = new WindowsSandboxProcesses(win32);
    Availability a = Availability.check(true, SystemDirectory.win32(k32), Files::isRegularFile);
    org.junit.jupiter.api.Assumptions.assumeTrue(a.available(), a.detail());
    org.junit.jupiter.api.Assumptions.assumeFalse(processes.snapshot().orElseThrow().anyPresent(),
        "a Windows Sandbox is already running");
    Path wsb = tmp.resolve("t.wsb");
    Files.writeString(wsb, WsbFile.render(List.of(), "cmd.exe /c exit", OptionalLong.empty()));
    assertEquals(0, SandboxLauncher.processBuilder().launch(a.launcher().orElseThrow(), wsb));
    List<VmProcId> proof = ProofCapture.capture(processes::snapshot, ProofCapture.DEFAULT_POLL,
        ProofCapture.DEFAULT_TIMEOUT, Timing.SYSTEM).orElseThrow();
    assertTrue(processes.terminate(processes.snapshot().orElseThrow().identified()) >= 1);
    for (int i = 0; i < 60 && !processes.stillRunning(proof).orElseThrow().isEmpty(); i++) {
      Thread.sleep(500);
    }
    assertEquals(List.of(), processes.stillRunning(proof).orElseThrow());
  }
}
