package dev.sandboxkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sandboxkit.lifecycle.FailurePhase;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** One test per row of the FailurePhase -> exit code table. */
class ExitCodesTest {

  @Test
  void noneWithExitZeroIsZero() {
    assertEquals(0, ExitCodes.forRun(FailurePhase.NONE, 0));
  }

  @Test
  void processExitedPassesTheCommandsCodeThrough() {
    assertEquals(42, ExitCodes.forRun(FailurePhase.PROCESS_EXITED, 42));
    assertEquals(3, ExitCodes.forRun(FailurePhase.PROCESS_EXITED, 3));
    assertEquals(255, ExitCodes.forRun(FailurePhase.PROCESS_EXITED, 255));
  }

  @Test
  void processExitedWithoutACodeMeansTheCommandCouldNotStart() {
    assertEquals(126, ExitCodes.forRun(FailurePhase.PROCESS_EXITED, -1));
    assertEquals(126, ExitCodes.forRun(FailurePhase.NONE, -1));
  }

  @Test
  void rejectedIs125() {
    assertEquals(125, ExitCodes.forRun(FailurePhase.REJECTED, -1));
    assertEquals(125, ExitCodes.forFailure(FailurePhase.REJECTED));
  }

  @Test
  void launchFailedIs125() {
    assertEquals(125, ExitCodes.forRun(FailurePhase.LAUNCH_FAILED, -1));
    assertEquals(125, ExitCodes.forFailure(FailurePhase.LAUNCH_FAILED));
  }

  @Test
  void postLaunchFailedIs126() {
    assertEquals(126, ExitCodes.forRun(FailurePhase.POST_LAUNCH_FAILED, -1));
    assertEquals(126, ExitCodes.forFailure(FailurePhase.POST_LAUNCH_FAILED));
  }

  @Test
  void timedOutIs124() {
    assertEquals(124, ExitCodes.forRun(FailurePhase.TIMED_OUT, -1));
    assertEquals(124, ExitCodes.forFailure(FailurePhase.TIMED_OUT));
  }

  @Test
  void anExceptionWithoutARunPhaseIs125() {
    assertEquals(125, ExitCodes.forFailure(FailurePhase.NONE));
    assertEquals(126, ExitCodes.forFailure(FailurePhase.PROCESS_EXITED));
  }

  @Test
  void everyPhaseHasARow() {
    for (FailurePhase p : EnumSet.allOf(FailurePhase.class)) {
      ExitCodes.forRun(p, 0);
      ExitCodes.forFailure(p);
    }
  }
}
