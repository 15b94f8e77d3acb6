package dev.sandboxkit.lifecycle;

import dev.sandboxkit.*;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A state root deep enough that the guest's socket path is over the Unix limit: the host dials it
 * through a short alias, and every execution after the first dials it again (fresh data channels).
 * The alias used to be removed right after the handshake, so the second execution found
 * "agent.sock: No such file or directory" and the sandbox closed itself (found by the CLI's
 * session daemon, whose state root is deep).
 */
@EnabledIfBubblewrapAvailable
@Timeout(120)
class SessionLongSocketPathTest {
  @TempDir static Path temp;
  static Path state;

  @RegisterExtension
  final NoLeaksExtension noLeaks = NoLeaksExtension.withStateRoot(() -> state).waiting(Duration.ofSeconds(10));

  @Test
  void executionsAfterTheFirstReachTheGuestThroughTheAlias() throws Exception {
    state = temp.resolve("a-state-root-deep-enough-that-the-rendezvous-socket-path-goes-over-the-unix-limit");
    Files.createDirectories(state);
    assertTrue(state.toString().length() > 100, state.toString());
    try (Sandbox sb = Sandbox.builder(SandboxDrivers.byName("bubblewrap")).stateRoot(state).start()) {
      for (int i = 1; i <= 3; i++) {
        ExecutionResult r = sb.exec(ExecutionRequest.builder("echo run-" + 1 + i).build());
        assertEquals(0, r.exitCode(), r.errorMessage() + " " + r.extendedError());
        assertEquals("run-1" + i + "\n", new String(r.stdout(), StandardCharsets.UTF_8));
      }
      assertTrue(sb.isOpen());
    }
  }
}
