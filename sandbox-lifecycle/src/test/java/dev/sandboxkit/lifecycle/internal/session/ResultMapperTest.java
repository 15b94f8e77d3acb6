package dev.sandboxkit.lifecycle.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sandboxkit.lifecycle.ExecutionResult;
import dev.sandboxkit.lifecycle.FailurePhase;
import dev.sandboxkit.lifecycle.internal.bridge.ExecOutcome;
import org.junit.jupiter.api.Test;

class ResultMapperTest {
  static ExecOutcome exited(int code, String msg) {
    return new ExecOutcome(ExecOutcome.Kind.EXITED, code, msg, "", new byte[] {1}, new byte[0]);
  }

  @Test
  void rows() {
    assertEquals(FailurePhase.NONE, ResultMapper.map(exited(0, ""), "").failurePhase());
    ExecutionResult p = ResultMapper.map(exited(42, ""), "");
    assertEquals(FailurePhase.PROCESS_EXITED, p.failurePhase());
    assertEquals("the command exited with code 42", p.errorMessage());
    ExecutionResult t = ResultMapper.map(exited(-1, "process timed out after 1500 ms"), "");
    assertEquals(FailurePhase.TIMED_OUT, t.failurePhase());
    assertEquals("process timed out after 1500 ms", t.errorMessage());
    ExecutionResult s = ResultMapper.map(exited(-1, "cannot start: no such directory\n/x"), "");
    assertEquals(FailurePhase.POST_LAUNCH_FAILED, s.failurePhase());
    assertEquals("cannot start: no such directory /x", s.errorMessage());
    ExecutionResult w = ResultMapper.map(
        new ExecOutcome(ExecOutcome.Kind.WATCHDOG, -1, "watchdog", "partial", new byte[] {7}, new byte[0]), "note");
    assertEquals(FailurePhase.TIMED_OUT, w.failurePhase());
    assertEquals(1, w.stdout().length);
    assertEquals("partial; note", w.extendedError());
    ExecutionResult f = ResultMapper.map(
        new ExecOutcome(ExecOutcome.Kind.FAILED, -1, "control closed", "", new byte[0], new byte[0]), "");
    assertEquals(FailurePhase.POST_LAUNCH_FAILED, f.failurePhase());
    assertEquals("the connection to the guest failed during the command: control closed", f.errorMessage());
  }
}
