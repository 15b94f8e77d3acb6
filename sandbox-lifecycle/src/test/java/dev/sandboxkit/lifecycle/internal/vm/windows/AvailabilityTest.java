package dev.sandboxkit.lifecycle.internal.vm.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AvailabilityTest {
  @TempDir Path system32;

  @Test
  void availableWhenWindowsSandboxExeIsInTheSystemDirectory() throws IOException {
    Files.createFile(system32.resolve("WindowsSandbox.exe"));
    Availability a = Availability.check(true, () -> system32, Files::isRegularFile);
    assertTrue(a.available());
    assertEquals(system32.resolve("WindowsSandbox.exe"), a.launcher().orElseThrow());
    assertEquals("", a.summary());
  }

  @Test
  void unavailableWhenTheExeIsMissingNamesTheFeatureAndTheReboot() {
    Availability a = Availability.check(true, () -> system32, Files::isRegularFile);
    assertFalse(a.available());
    assertEquals("Windows Sandbox is not available on this host. Enable the 'Containers-DisposableClientVM'"
        + " optional feature and reboot.", a.summary());
    assertTrue(a.detail().contains("WindowsSandbox.exe not found in " + system32), a.detail());
    assertTrue(a.detail().contains("Containers-DisposableClientVM"), a.detail());
    assertTrue(a.detail().contains("reboot"), a.detail());
    assertTrue(a.detail().contains("Enable-WindowsOptionalFeature -Online -FeatureName Containers-DisposableClientVM"),
        a.detail());
  }

  @Test
  void aDirectoryNamedLikeTheExeDoesNotCount() throws IOException {
    Files.createDirectory(system32.resolve("WindowsSandbox.exe"));
    assertFalse(Availability.check(true, () -> system32, Files::isRegularFile).available());
  }

  @Test
  void systemDirectoryFailureIsUnavailableWithTheError() {
    Availability a = Availability.check(true, () -> {
      throw new Win32Exception("GetSystemDirectoryW", 87, "could not locate the Windows system directory");
    }, p -> true);
    assertFalse(a.available());
    assertTrue(a.detail().contains("GetSystemDirectoryW failed with Win32 error 87"), a.detail());
  }

  @Test
  void nonWindowsNeverAsksTheSystemDirectory() {
    Availability a = Availability.check(false, () -> {
      throw new AssertionError("must not be called");
    }, p -> true);
    assertFalse(a.available());
    assertTrue(a.summary().contains("only on Windows"), a.summary());
  }

  @Test
  void systemDirectoryReturnValues() {
    assertEquals(SystemDirectory.Result.FAILED, SystemDirectory.interpret(0, 260));
    assertEquals(SystemDirectory.Result.OK, SystemDirectory.interpret(19, 260));
    assertEquals(SystemDirectory.Result.OK, SystemDirectory.interpret(259, 260));
    assertEquals(SystemDirectory.Result.RETRY_LARGER, SystemDirectory.interpret(260, 260));
    assertEquals(SystemDirectory.Result.RETRY_LARGER, SystemDirectory.interpret(300, 260));
  }
}
