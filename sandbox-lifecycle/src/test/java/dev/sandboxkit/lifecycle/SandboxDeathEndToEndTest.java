package dev.sandboxkit.lifecycle;

import dev.sandboxkit.*;

import static dev.sandboxkit.lifecycle.SessionHarness.shell;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.lifecycle.SandboxClosedException.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live sandbox whose guest or sandbox dies, stops, idles or ages out (real bwrap, the real guest):
 * the running and every later execution fail with {@link SandboxClosedException} of the right
 * reason, the sandbox is torn down (no process, no run dir) and nothing hangs.
 */
@EnabledIfBubblewrapAvailable
@Timeout(120)
class SandboxDeathEndToEndTest {
  @TempDir Path temp;
  Path state;

  @RegisterExtension
  final NoLeaksExtension noLeaks = NoLeaksExtension.withStateRoot(() -> state).waiting(Duration.ofSeconds(10));

  @BeforeEach
  void setUp() throws IOException {
    state = Files.createDirectories(temp.resolve("state"));
  }

  @Test
  void guestKilledDuringAnExecution() throws Exception {
    List<String> failed = Collections.synchronizedList(new ArrayList<>());
    try (Sandbox sandbox = SessionHarness.builder(state).listener(new SandboxListener() {
      @Override public void execFailed(String s, String e, SandboxException x) { failed.add(e); }
    }).start()) {
      assertEquals(0, sandbox.exec(shell("true")).exitCode());
      Execution e = sandbox.start(shell("sleep 1000"));
      SessionHarness.awaitProcess(SessionHarness.command("sleep 1000"), Duration.ofSeconds(20)).orElseThrow();
      SessionHarness.guestAgent(sandbox.id()).destroyForcibly();
      SandboxClosedException died = assertThrows(SandboxClosedException.class, e::await);
      assertEquals(Reason.GUEST_DIED, died.reason(), died.getMessage());
      assertTrue(died.getMessage().contains("died during the execution"), died.getMessage());
      assertTorndown(sandbox);
      assertEquals(List.of(e.id()), failed);
    }
  }

  @Test
  void guestKilledBetweenExecutions() throws Exception {
    try (Sandbox sandbox = SessionHarness.builder(state).start()) {
      assertEquals("one\n", sandbox.exec(shell("echo one")).stdoutText());
      ProcessHandle agent = SessionHarness.guestAgent(sandbox.id());
      agent.destroyForcibly();
      assertTrue(SessionHarness.awaitGone(agent, Duration.ofSeconds(10)));
      SandboxClosedException died = assertThrows(SandboxClosedException.class, () -> sandbox.exec(shell("echo two")));
      assertEquals(Reason.GUEST_DIED, died.reason(), died.getMessage());
      assertTorndown(sandbox);
    }
  }

  @Test
  void bwrapKilledBetweenExecutionsIsNoticedWithoutAnExecution() throws Exception {
    try (Sandbox sandbox = SessionHarness.builder(state).start()) {
      assertEquals("one\n", sandbox.exec(shell("echo one")).stdoutText());
      SessionHarness.sandboxRoot().destroyForcibly();
      awaitClosed(sandbox, Duration.ofSeconds(20));
      SandboxClosedException died = assertThrows(SandboxClosedException.class, () -> sandbox.exec(shell("true")));
      assertEquals(Reason.GUEST_DIED, died.reason(), died.getMessage());
      assertTorndown(sandbox);
    }
  }

  @Test
  void stoppedSandboxWithATimeoutHitsTheHostDeadline() throws Exception {
    try (Sandbox sandbox = SessionHarness.builder(state).start()) {
      assertEquals(0, sandbox.exec(shell("true")).exitCode());
      ProcessHandle agent = SessionHarness.guestAgent(sandbox.id());
      // Stop the guest agent: it cannot enforce the timeout nor report anything.
      SessionHarness.signal(agent.pid(), "STOP");
      long start = System.nanoTime();
      ExecutionResult r = sandbox.exec(ExecutionRequest.builder("sleep 1000").timeout(Duration.ofSeconds(1)).build());
      long tookMs = (System.nanoTime() - start) / 1_000_000;
      assertEquals(FailurePhase.TIMED_OUT, r.failurePhase(), r.toString());
      assertTrue(r.errorMessage().contains("did not report the end of the command"), r.errorMessage());
      assertTrue(tookMs < 60_000, "bounded by the timeout + the host's grace, not by the stopped guest: " + tookMs);
      assertTorndown(sandbox);
      SandboxClosedException later = assertThrows(SandboxClosedException.class, () -> sandbox.exec(shell("true")));
      assertEquals(Reason.GUEST_DIED, later.reason());
    }
  }

  @Test
  void idleTimeoutClosesTheSandbox() throws Exception {
    try (Sandbox sandbox = SessionHarness.builder(state).idleTimeout(Duration.ofMillis(1500)).start()) {
      // Executions keep it alive (each one restarts the idle clock)...
      for (int i = 0; i < 3; i++) {
        assertEquals(0, sandbox.exec(shell("sleep 0.6")).exitCode());
      }
      // ...and an execution longer than the idle timeout is not cut.
      assertEquals(0, sandbox.exec(shell("sleep 2")).exitCode());
      awaitClosed(sandbox, Duration.ofSeconds(30));
      SandboxClosedException idle = assertThrows(SandboxClosedException.class, () -> sandbox.exec(shell("true")));
      assertEquals(Reason.IDLE_TIMEOUT, idle.reason(), idle.getMessage());
      assertTorndown(sandbox);
    }
  }

  @Test
  void maxLifetimeClosesTheSandboxEvenDuringAnExecution() throws Exception {
    try (Sandbox sandbox = SessionHarness.builder(state).maxLifetime(Duration.ofSeconds(4)).start()) {
      Execution e = sandbox.start(shell("sleep 1000"));
      SandboxClosedException aged = assertThrows(SandboxClosedException.class, e::await);
      assertEquals(Reason.MAX_LIFETIME, aged.reason(), aged.getMessage());
      assertTorndown(sandbox);
      SandboxClosedException later = assertThrows(SandboxClosedException.class, () -> sandbox.exec(shell("true")));
      assertEquals(Reason.MAX_LIFETIME, later.reason());
    }
  }

  void assertTorndown(Sandbox sandbox) throws InterruptedException {
    assertFalse(sandbox.isOpen());
    assertFalse(Files.exists(state.resolve(sandbox.id())), "run dir gone");
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!SessionHarness.descendants(c -> true).isEmpty() && System.nanoTime() - end < 0) {
      Thread.sleep(20);
    }
    assertEquals(List.of(), SessionHarness.descendants(c -> true), "no sandbox process");
  }

  static void awaitClosed(Sandbox sandbox, Duration within) throws InterruptedException {
    long end = System.nanoTime() + within.toNanos();
    while (sandbox.isOpen() && System.nanoTime() - end < 0) {
      Thread.sleep(20);
    }
    assertFalse(sandbox.isOpen(), "the sandbox closed itself within " + within);
  }
}
