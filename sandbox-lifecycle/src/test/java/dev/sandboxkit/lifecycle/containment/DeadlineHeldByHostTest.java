package dev.sandboxkit.lifecycle.containment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.lifecycle.EnabledIfBubblewrapAvailable;
import dev.sandboxkit.lifecycle.Execution;
import dev.sandboxkit.lifecycle.ExecutionRequest;
import dev.sandboxkit.lifecycle.ExecutionResult;
import dev.sandboxkit.lifecycle.FailurePhase;
import dev.sandboxkit.lifecycle.NoLeaksExtension;
import dev.sandboxkit.Sandbox;
import dev.sandboxkit.SandboxDrivers;
import dev.sandboxkit.lifecycle.SandboxPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14.6, the reported attack: a stopped agent ({@code kill -STOP}) stretched a 3 s timeout to
 * 33.6 s. On a non-root host the workload can stop the agent itself (same uid); on a root host it
 * cannot ({@link SandboxesApartTest}), so here the agent is stopped from the host, the same state:
 * the host ends the execution at its deadline by tearing the sandbox down, and the result says so
 * (asserted on what the result says, not on time; red when only the guest holds the deadline: the
 * stopped guest never reports, and the result is not the host's teardown).
 */
@EnabledIfBubblewrapAvailable
@Timeout(120)
class DeadlineHeldByHostTest {
  @TempDir Path temp;
  Path state;

  @RegisterExtension
  final NoLeaksExtension noLeaks = NoLeaksExtension.withStateRoot(() -> state).waiting(Duration.ofSeconds(10));

  @BeforeEach
  void setUp() throws IOException {
    state = Files.createDirectories(temp.resolve("state"));
  }

  /** The guest agent among this JVM's descendants (its argv[0] is the in-sandbox java). */
  static Optional<Long> agent() {
    return ProcessHandle.current().descendants().map(ProcessHandle::pid).filter(pid -> {
      try {
        return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8)
            .startsWith("/opt/sandboxkit/java/bin/java\0") && new String(Files.readAllBytes(
                Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8).contains("--rendezvous");
      } catch (IOException e) {
        return false;
      }
    }).findFirst();
  }

  @Test
  void aStoppedAgentCannotStretchTheTimeout() throws Exception {
    try (Sandbox s = Sandbox.builder(SandboxDrivers.byName("bubblewrap")).stateRoot(state)
        .policy(SandboxPolicy.DEFAULT).start()) {
      long agent = agent().orElseThrow(() -> new AssertionError("no agent among " + ProcessHandle.current().pid()
          + "'s descendants"));
      Execution e = s.start(ExecutionRequest.builder("sleep 120").timeout(Duration.ofSeconds(3)).build());
      Process stop = new ProcessBuilder("kill", "-STOP", Long.toString(agent)).inheritIO().start();
      assertEquals(0, stop.waitFor(), "kill -STOP " + agent);
      ExecutionResult r = e.await();
      assertEquals(FailurePhase.TIMED_OUT, r.failurePhase(), r + " " + r.extendedError());
      assertTrue(r.extendedError().contains("the host tore the sandbox down at the deadline"), r.extendedError());
      assertFalse(s.isOpen(), "the sandbox with the wedged agent is gone");
    }
  }
}
