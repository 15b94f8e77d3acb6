package dev.sandboxkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sandboxkit.lifecycle.FailurePhase;
import java.util.EnumSet;
import java.util.List;
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
  void truncatedJsonOutputHasItsOwnCode() {
    // --json --fail-on-truncation; none of the phase codes, nor 128+signal, nor a shell's 126/127
    assertEquals(122, ExitCodes.OUTPUT_TRUNCATED);
  }

  @Test
  void everyPhaseHasARow() {
    // The README's exit-code table, one row per phase: {forRun(phase, 7), forRun(phase, -1), forFailure(phase)}.
    // A phase added without a row here fails the size check; a changed mapping fails its row.
    java.util.Map<FailurePhase, List<Integer>> table = new java.util.EnumMap<>(FailurePhase.class);
    table.put(FailurePhase.NONE, List.of(7, 126, 125));
    table.put(FailurePhase.REJECTED, List.of(125, 125, 125));
    table.put(FailurePhase.LAUNCH_FAILED, List.of(125, 125, 125));
    table.put(FailurePhase.POST_LAUNCH_FAILED, List.of(126, 126, 126));
    table.put(FailurePhase.PROCESS_EXITED, List.of(7, 126, 126));
    table.put(FailurePhase.TIMED_OUT, List.of(124, 124, 124));
    table.put(FailurePhase.CANCELLED, List.of(130, 130, 130));
    assertEquals(EnumSet.allOf(FailurePhase.class), table.keySet(), "a phase without a row in this table");
    for (FailurePhase p : EnumSet.allOf(FailurePhase.class)) {
      assertEquals(table.get(p), List.of(ExitCodes.forRun(p, 7), ExitCodes.forRun(p, -1), ExitCodes.forFailure(p)),
          p.toString());
    }
  }
}
