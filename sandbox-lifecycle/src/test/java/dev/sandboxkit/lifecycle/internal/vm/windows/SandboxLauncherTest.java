package dev.sandboxkit.lifecycle.internal.vm.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The launcher runner with a real process standing in for WindowsSandbox.exe (a shell script). */
@DisabledOnOs(OS.WINDOWS)
@Timeout(60)
class SandboxLauncherTest {
  @TempDir Path dir;

  private Path script(String body) throws Exception {
    Path exe = dir.resolve("WindowsSandbox.exe");
    Files.writeString(exe, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwx------"));
    return exe;
  }

  @Test
  void theExitCodeIsReturned() throws Exception {
    Path exe = script("exit 3");
    assertEquals(3, SandboxLauncher.processBuilder(Duration.ofSeconds(30)).launch(exe, dir.resolve("x.wsb")));
  }

  /** Finding 6: on the launch timeout the launcher is destroyed, not left running. */
  @Test
  void aLauncherThatDoesNotExitInTimeIsDestroyed() throws Exception {
    Path pidFile = dir.resolve("pid");
    Path exe = script("echo $$ > " + pidFile + "; exec sleep 1000");
    SandboxLauncher.TimedOut e = assertThrows(SandboxLauncher.TimedOut.class,
        () -> SandboxLauncher.processBuilder(Duration.ofSeconds(2)).launch(exe, dir.resolve("x.wsb")));
    assertTrue(e.getMessage().contains("did not exit within 2 s"), e.getMessage());
    long pid = Long.parseLong(Files.readString(pidFile).trim());
    Optional<ProcessHandle> h = ProcessHandle.of(pid);
    assertFalse(h.isPresent() && h.get().isAlive(), "the launcher " + pid + " must be gone");
  }

  @Test
  void aLauncherThatCannotStartIsAPlainIoException() {
    Exception e = assertThrows(java.io.IOException.class, () -> SandboxLauncher.processBuilder(Duration.ofSeconds(2))
        .launch(dir.resolve("missing.exe"), dir.resolve("x.wsb")));
    assertFalse(e instanceof SandboxLauncher.TimedOut);
  }
}
