package dev.sandboxkit.lifecycle.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class WarmupTest {

  @Test
  void runsWithoutThrowingAndLeavesNoProcessOrThreadBehind() {
    long children = ProcessHandle.current().children().count();
    Warmup.run();
    Warmup.run(); // idempotent: the second call returns at once
    assertEquals(children, ProcessHandle.current().children().count(), "the warm-up started a process");
  }
}
