package dev.sandboxkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sandboxkit.lifecycle.FailurePhase;
import dev.sandboxkit.lifecycle.SandboxException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code cleanup} is the library's ({@code OneShotRunner.cleanup}): how its answers become the CLI's. */
class LifecycleBackendCleanupTest {
  @Test
  void theLibrarysLinesArePrintedAsTheyAre() {
    assertEquals(new Backend.CleanupReport(false, List.of("note", "removed /s/a", "removed /s/b")),
        LifecycleBackend.report("note\nremoved /s/a\nremoved /s/b"));
    assertEquals(new Backend.CleanupReport(false, List.of("nothing to clean up under /s")),
        LifecycleBackend.report("nothing to clean up under /s"));
  }

  /** REJECTED (a live run, a held slot, an unprovable sandbox) is a refusal: exit 1 with the reason. */
  @Test
  void aRejectedCleanupIsARefusalWithItsReason() {
    assertEquals(new Backend.CleanupReport(true, List.of("a Windows Sandbox VM is running")),
        LifecycleBackend.refusal(new SandboxException(FailurePhase.REJECTED, "a Windows Sandbox VM is running", "")));
    assertEquals(new Backend.CleanupReport(true, List.of("another bubblewrap sandbox owner holds the host slot"
        + " (waited 5 s); close it or wait for its run to end, then retry")),
        LifecycleBackend.refusal(new SandboxException(FailurePhase.REJECTED,
            "another bubblewrap sandbox owner holds the host slot (waited 5 s)",
            "close it or wait for its run to end, then retry")));
  }

  /** Anything else (the slot or the state folder unusable) is an error: exit 125 with what failed. */
  @Test
  void aFailedCleanupIsAnError() {
    CliException e = assertThrows(CliException.class, () -> LifecycleBackend.refusal(new SandboxException(
        FailurePhase.LAUNCH_FAILED, "cannot open the state directory /s", "Not a directory")));
    assertEquals(ExitCodes.SANDBOX_FAILED, e.exitCode());
    assertEquals("cleanup failed: cannot open the state directory /s", e.getMessage());
    assertEquals("Not a directory", e.detail());
  }
}
