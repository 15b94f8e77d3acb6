package dev.sandboxkit.guest.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JobRunTest {
  @Test
  void zeroAndMaxU32MeanNoTimeout() {
    assertFalse(JobRun.hasTimeout(0));
    assertFalse(JobRun.hasTimeout(4_294_967_295L));
    assertTrue(JobRun.hasTimeout(1));
    assertTrue(JobRun.hasTimeout(4_294_967_294L));
  }

  @Test
  void timeoutMessage() {
    assertEquals("process timed out after 1500 ms", JobRun.timedOutMessage(1500));
  }
}
