package dev.sandboxkit.lifecycle.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.lifecycle.EnabledIfBubblewrapAvailable;
import dev.sandboxkit.lifecycle.ExecutionRequest;
import dev.sandboxkit.lifecycle.ExecutionResult;
import dev.sandboxkit.lifecycle.FailurePhase;
import dev.sandboxkit.OneShotRunner;
import dev.sandboxkit.SandboxDrivers;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hardening: workloads that misbehave on purpose. Each run must end (bounded by the test timeout),
 * report what happened, and leave no process and no run dir behind.
 */
@EnabledIfBubblewrapAvailable
class MisbehavingWorkloadsTest {
  @TempDir Path temp;
  Path state;
  OneShotRunner runner;

  @BeforeEach
  void setUp() throws IOException {
    state = Files.createDirectories(temp.resolve("state"));
    runner = OneShotRunner.builder(SandboxDrivers.byName("bubblewrap")).stateRoot(state).build();
  }

  @AfterEach
  void nothingLeftBehind() throws Exception {
    Hardening.assertNoChildProcesses();
    assertEquals(List.of(), Hardening.entries(state), "run dirs left behind");
  }

  /**
   * A fork bomb under a pids limit of 64 ({@code ulimit -p} in dash, {@code -u} in bash): the workload runs as an unprivileged uid (its own when
   * the host is root), so RLIMIT_NPROC applies; the bomb saturates, the run times out, the whole
   * tree is killed, and the host can still fork.
   */
  @Test
  @Timeout(90)
  void forkBombIsBoundedByThePidsLimitAndKilledAtTheTimeout() throws Exception {
    ExecutionResult r = runner.run(ExecutionRequest.builder(
            "ulimit -p 64 2>/dev/null || ulimit -u 64 || exit 97; b() { b | b & }; b; exec sleep 600")
        .timeout(Duration.ofSeconds(4)).build());
    assertEquals(FailurePhase.TIMED_OUT, r.failurePhase(), r + " " + r.extendedError());
    assertEquals(-1, r.exitCode());
    Process p = new ProcessBuilder("true").start();
    assertEquals(0, p.waitFor(), "the host can still fork");
  }

  /** A setsid-daemonized grandchild keeps stdout open: the post-exit drain grace ends the run. */
  @Test
  @Timeout(90)
  void daemonizingGrandchildHoldingStdoutDoesNotHangTheRun() {
    ExecutionResult r = runner.run(ExecutionRequest.builder(
        "setsid sh -c 'sleep 1000' & echo started").build());
    assertEquals(0, r.exitCode(), r + " " + r.extendedError());
    assertEquals("started\n", r.stdoutText());
    // @AfterEach: the daemonized sleep is gone with the sandbox.
  }

  /**
   * 10 GiB of stdout to a capturing caller, in a host JVM limited to -Xmx200m: it completes (no
   * OutOfMemoryError), keeps exactly the 64 MiB cap and says the output was truncated. (The heap
   * needed is about 2x the cap: the capture's chunks plus the one exactly sized array they are
   * assembled into; it was 3x with a ByteArrayOutputStream, which needed -Xmx320m.)
   */
  @Test
  @Timeout(600)
  void tenGibOfOutputIsCappedAt64MibWithABoundedHostHeap() throws Exception {
    try (Hardening.Child child = Hardening.Child.start(temp.resolve("child.log"),
        List.of("-Xmx200m", "-XX:+UseSerialGC"), state.toString(), "-", "head -c 10737418240 /dev/zero")) {
      String result = child.awaitResult(540_000);
      assertTrue(child.process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "child exits");
      String log = Files.readString(temp.resolve("child.log"));
      assertEquals(0, child.process.exitValue(), result + "\n" + log);
      assertTrue(result.startsWith("RESULT exit=0 phase=NONE stdout=67108864 "), result);
      assertTrue(result.contains("67108864-byte capture cap and was truncated"), result);
      assertTrue(!log.contains("OutOfMemoryError"), log);
    }
  }

  /** The command closes its stdout and keeps running: the run waits for its exit code. */
  @Test
  @Timeout(60)
  void childThatClosesStdoutEarlyButKeepsRunningIsWaitedFor() {
    ExecutionResult r = runner.run(ExecutionRequest.builder(
        "exec 1>&-; sleep 2; echo still-running >&2; exit 3").build());
    assertEquals(3, r.exitCode(), r + " " + r.extendedError());
    assertEquals("", r.stdoutText());
    assertEquals("still-running\n", r.stderrText());
  }

  /** Reading stdin "forever" ends at EOF: no stdin given, and an already-closed stream. */
  @Test
  @Timeout(60)
  void readingStdinForeverEndsAtEofWhenTheHostHasNoStdin() {
    ExecutionResult none = runner.run(ExecutionRequest.builder(
        "n=0; while read -r x; do n=$((n+1)); done; echo eof-after-$n").build());
    assertEquals(0, none.exitCode(), none + " " + none.extendedError());
    assertEquals("eof-after-0\n", none.stdoutText());

    InputStream closed = InputStream.nullInputStream();
    ExecutionResult empty = runner.run(ExecutionRequest.builder("cat; echo eof").stdin(closed).build());
    assertEquals(0, empty.exitCode(), empty + " " + empty.extendedError());
    assertEquals("eof\n", empty.stdoutText());
  }

  /** A command that ignores EOF and blocks on input anyway is bounded by its timeout. */
  @Test
  @Timeout(60)
  void commandIgnoringStdinEofIsBoundedByItsTimeout() {
    ExecutionResult r = runner.run(ExecutionRequest.builder("tail -f /dev/null")
        .timeout(Duration.ofSeconds(2)).build());
    assertEquals(FailurePhase.TIMED_OUT, r.failurePhase(), r + " " + r.extendedError());
    assertTrue(Set.of(-1).contains(r.exitCode()));
  }
}
