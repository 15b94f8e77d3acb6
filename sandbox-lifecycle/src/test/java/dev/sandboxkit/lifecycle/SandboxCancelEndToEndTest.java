package dev.sandboxkit.lifecycle;

import dev.sandboxkit.*;

import static dev.sandboxkit.lifecycle.SessionHarness.shell;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Cancel and timeout in a live sandbox (real bwrap, the real guest, which announces {@code cancel}). */
@EnabledIfBubblewrapAvailable
@Timeout(120)
class SandboxCancelEndToEndTest {
  @TempDir Path temp;
  Path state;

  @RegisterExtension
  final NoLeaksExtension noLeaks = NoLeaksExtension.withStateRoot(() -> state).waiting(Duration.ofSeconds(10));

  @BeforeEach
  void setUp() throws IOException {
    state = Files.createDirectories(temp.resolve("state"));
  }

  @Test
  void cancelKillsTheWholeTreeAndTheSandboxStaysUsable() throws Exception {
    try (Sandbox sandbox = SessionHarness.builder(state).start()) {
      for (int round = 0; round < 2; round++) {
        // A forked grandchild as well as the child: both must go.
        Execution e = sandbox.start(shell("sh -c 'sleep 1000 & sleep 1000'; echo never"));
        awaitSleeps(2);
        e.cancel();
        ExecutionResult r = e.await();
        assertEquals(FailurePhase.CANCELLED, r.failurePhase(), r + " " + r.extendedError());
        assertEquals(-1, r.exitCode());
        assertEquals("", r.stdoutText());
        assertTrue(sandbox.isOpen(), "a cancelled execution leaves the sandbox usable");
        assertEquals(List.of(), SessionHarness.descendants(SessionHarness.command("sleep 1000")),
            "no process of the cancelled execution survives it");
        e.cancel(); // after the end: nothing
        ExecutionResult next = sandbox.exec(shell("echo next " + round));
        assertEquals("next " + round + "\n", next.stdoutText(), next.toString());
      }
    }
  }

  @Test
  void cancelBeforeTheCommandStartsIsStillCancelled() throws Exception {
    try (Sandbox sandbox = SessionHarness.builder(state).start()) {
      Execution e = sandbox.start(shell("sleep 1000"));
      e.cancel(); // may land before Exec was even sent: the call thread sends Cancel once it is waiting
      ExecutionResult r = e.await();
      assertEquals(FailurePhase.CANCELLED, r.failurePhase(), r.toString());
      assertEquals("ok\n", sandbox.exec(shell("echo ok")).stdoutText());
    }
  }

  @Test
  void timeoutKillsTheWholeTreeAndTheSandboxStaysUsable() throws Exception {
    try (Sandbox sandbox = SessionHarness.builder(state).start()) {
      ExecutionResult r = sandbox.exec(ExecutionRequest.builder("sh -c 'sleep 1000 & sleep 1000'")
          .timeout(Duration.ofMillis(1500)).build());
      assertEquals(FailurePhase.TIMED_OUT, r.failurePhase(), r.toString());
      assertEquals("process timed out after 1500 ms", r.errorMessage());
      assertTrue(sandbox.isOpen(), "a timed-out execution leaves the sandbox usable");
      assertEquals(List.of(), SessionHarness.descendants(SessionHarness.command("sleep 1000")));
      ExecutionResult next = sandbox.exec(ExecutionRequest.builder("echo after")
          .timeout(Duration.ofSeconds(30)).build());
      assertEquals("after\n", next.stdoutText());
      assertEquals(FailurePhase.NONE, next.failurePhase());
    }
  }

  static void awaitSleeps(int n) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (SessionHarness.descendants(SessionHarness.command("sleep 1000")).size() < n) {
      if (System.nanoTime() - end > 0) {
        throw new AssertionError("the command's " + n + " sleeps did not start within 20 s: "
            + SessionHarness.describe(SessionHarness.descendants(c -> true)));
      }
      Thread.sleep(20);
    }
  }
}
