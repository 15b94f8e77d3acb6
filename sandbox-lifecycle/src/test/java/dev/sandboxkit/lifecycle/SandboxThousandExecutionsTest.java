package dev.sandboxkit.lifecycle;

import dev.sandboxkit.*;

import static dev.sandboxkit.lifecycle.SessionHarness.shell;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1,000 executions in one live sandbox (issue 12, Tests): state persists from one to the next, no
 * process of an earlier execution survives, and the host JVM's and the guest agent's thread and
 * descriptor counts come back to where they were. Bounded by the class timeout; speed is measured
 * by {@code benchmarks/run.sh}, never asserted.
 */
@EnabledIfBubblewrapAvailable
@Timeout(240)
class SandboxThousandExecutionsTest {
  static final int EXECUTIONS = 1000;
  /** Slack for lazily started JDK threads and descriptors (a selector, a cleaner) that are not per execution. */
  static final int MARGIN = 4;

  @TempDir Path temp;
  Path state;

  @RegisterExtension
  final NoLeaksExtension noLeaks = NoLeaksExtension.withStateRoot(() -> state).waiting(Duration.ofSeconds(10));

  @BeforeEach
  void setUp() throws IOException {
    state = Files.createDirectories(temp.resolve("state"));
  }

  @Test
  void thousandExecutionsLeaveNothingBehind() throws Exception {
    try (Sandbox sandbox = SessionHarness.builder(state).start()) {
      // Warm: one of each kind, then the baseline.
      sandbox.exec(shell("echo 0 > /tmp/n"));
      sandbox.exec(ExecutionRequest.builder("cat").stdin(new byte[] {1}).build());
      long agent = SessionHarness.guestAgent(sandbox.id()).pid();
      int processes = SessionHarness.descendants(c -> true).size();
      Counts host = Counts.of("self");
      Counts guest = Counts.of(Long.toString(agent));
      for (int i = 1; i <= EXECUTIONS; i++) {
        // Reads what the previous execution wrote, writes its own number.
        ExecutionRequest.Builder b = ExecutionRequest.builder("read prev < /tmp/n; echo $prev; echo " + i + " > /tmp/n");
        if (i % 100 == 0) {
          b.stdin(("line " + i + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        ExecutionResult r = sandbox.exec(b.build());
        assertEquals((i - 1) + "\n", r.stdoutText(), "execution " + i + ": " + r);
        assertEquals(0, r.exitCode());
      }
      assertEquals(processes, SessionHarness.descendants(c -> true).size(),
          "no process of an earlier execution survives: " + SessionHarness.describe(SessionHarness.descendants(c -> true)));
      Counts hostAfter = Counts.of("self");
      Counts guestAfter = Counts.of(Long.toString(agent));
      assertWithin("host threads", host.threads, hostAfter.threads);
      assertWithin("host descriptors", host.fds, hostAfter.fds);
      assertWithin("guest threads", guest.threads, guestAfter.threads);
      if (guest.fds >= 0) {
        assertWithin("guest descriptors", guest.fds, guestAfter.fds);
      } // else: not root, and the agent is not dumpable, so its fd folder is root's (checked by the root pass)
      assertTrue(sandbox.isOpen());
    }
  }

  static void assertWithin(String what, int before, int after) {
    assertTrue(after <= before + MARGIN, what + ": " + before + " before, " + after + " after " + EXECUTIONS
        + " executions (margin " + MARGIN + ")");
  }

  /**
   * Threads and open descriptors of a process, from /proc (tasks include the JVM's own threads).
   * {@code fds} is -1 when the fd folder cannot be read: the guest agent makes itself non-dumpable,
   * which hands its {@code /proc/<pid>/fd} to root, so only a root test run can count them.
   */
  record Counts(int threads, int fds) {
    static Counts of(String pid) throws IOException {
      int fds;
      try {
        fds = count(Path.of("/proc", pid, "fd"));
      } catch (java.nio.file.AccessDeniedException notOurs) {
        fds = -1;
      }
      return new Counts(count(Path.of("/proc", pid, "task")), fds);
    }

    static int count(Path dir) throws IOException {
      try (Stream<Path> s = Files.list(dir)) {
        return (int) s.count();
      }
    }
  }

}
