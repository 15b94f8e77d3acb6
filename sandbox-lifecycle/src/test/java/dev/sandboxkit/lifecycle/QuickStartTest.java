package dev.sandboxkit.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The README's library quick-start, compiled and run as written (also in /tmp/team/quickstart.java.txt). */
@EnabledIfBubblewrapAvailable
@Timeout(60)
class QuickStartTest {

  @Test
  void quickStart() {
    // --- README snippet begins ---
    OneShotRunner runner = OneShotRunner.builder(SandboxDrivers.auto())
        .policy(SandboxPolicy.builder().network(NetworkAccess.BLOCK).build())
        .build();
    ExecutionResult result = runner.run(
        ExecutionRequest.builder("echo hello from the sandbox; exit 3")
            .timeout(java.time.Duration.ofSeconds(30))
            .build());
    if (result.failurePhase() != FailurePhase.NONE && result.failurePhase() != FailurePhase.PROCESS_EXITED) {
      System.err.println(result.errorMessage()); // what failed, in one line
    }
    System.out.println(result.exitCode());     // 3
    System.out.print(result.stdoutText());     // hello from the sandbox
    System.out.println(result.failurePhase()); // PROCESS_EXITED
    // --- README snippet ends ---
    assertEquals(3, result.exitCode());
    assertEquals("hello from the sandbox\n", result.stdoutText());
    assertEquals(FailurePhase.PROCESS_EXITED, result.failurePhase());
  }
}
