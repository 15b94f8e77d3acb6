package dev.sandboxkit.lifecycle.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.lifecycle.ExecutionResult;
import dev.sandboxkit.lifecycle.FailurePhase;
import dev.sandboxkit.lifecycle.ResourceLimits;
import org.junit.jupiter.api.Test;

/** Issue 14.4: a result says when the memory limit killed the command, naming the limit and the fix. */
class MemoryLimitNoteTest {
  static final ResourceLimits LIMIT = new ResourceLimits(256L << 20, 0, 0, ResourceLimits.DEFAULT_TMP_BYTES);
  static final ExecutionResult KILLED = new ExecutionResult(137, new byte[] {1}, new byte[] {2},
      "the command exited with code 137", "", FailurePhase.PROCESS_EXITED);

  @Test
  void aCommandKilledAtTheLimitSaysSo() {
    ExecutionResult r = MemoryLimitNote.apply(KILLED, 1, LIMIT);
    assertEquals(137, r.exitCode());
    assertEquals(FailurePhase.PROCESS_EXITED, r.failurePhase());
    assertEquals("the command was killed: the sandbox's memory limit of 256 MiB was reached: the kernel killed 1"
        + " process of the sandbox", r.errorMessage());
    assertTrue(r.extendedError().startsWith(MemoryLimitNote.FIX), r.extendedError());
    assertEquals(1, r.stdout()[0]);
    assertTrue(MemoryLimitNote.killed(r));
    assertTrue(!MemoryLimitNote.killed(KILLED), "an exit 137 of its own is not the limit's");
  }

  @Test
  void aCommandThatSurvivedAKilledChildKeepsItsResultWithANote() {
    ExecutionResult ok = new ExecutionResult(0, null, null, "", "", FailurePhase.NONE);
    ExecutionResult r = MemoryLimitNote.apply(ok, 2, LIMIT);
    assertEquals(FailurePhase.NONE, r.failurePhase());
    assertEquals("", r.errorMessage());
    assertTrue(r.extendedError().contains("killed 2 processes"), r.extendedError());
  }

  @Test
  void nothingKilledOrNoLimitChangesNothing() {
    assertSame(KILLED, MemoryLimitNote.apply(KILLED, 0, LIMIT));
    assertSame(KILLED, MemoryLimitNote.apply(KILLED, 1, ResourceLimits.DEFAULT));
  }

  @Test
  void sizesReadAsAPersonWroteThem() {
    assertEquals("1 GiB", MemoryLimitNote.size(1L << 30));
    assertEquals("1536 MiB", MemoryLimitNote.size(1536L << 20));
    assertEquals("134217729 bytes", MemoryLimitNote.size((128L << 20) + 1));
  }
}
