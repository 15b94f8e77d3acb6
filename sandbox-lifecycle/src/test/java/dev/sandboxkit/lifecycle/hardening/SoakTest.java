package dev.sandboxkit.lifecycle.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.lifecycle.EnabledIfBubblewrapAvailable;
import dev.sandboxkit.lifecycle.ExecutionRequest;
import dev.sandboxkit.lifecycle.ExecutionResult;
import dev.sandboxkit.OneShotRunner;
import dev.sandboxkit.SandboxDrivers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hardening: 200 one-shot runs in a row (system property {@code sandboxkit.soak.runs} overrides
 * the count). Afterwards: no leftover process, run dir or marker, and the host JVM's open file
 * descriptors and live threads are back at their baseline (measured after one warm-up run, so
 * lazily started JDK threads are counted in it).
 */
@EnabledIfBubblewrapAvailable
class SoakTest {
  /** JDK-internal jitter (a process-reaper thread finishing its keep-alive, GC/JIT fds). */
  private static final int TOLERANCE = 2;

  @TempDir Path temp;

  @Test
  @Timeout(900)
  void twoHundredOneShotRunsLeaveNothingBehind() throws Exception {
    int runs = Integer.getInteger("sandboxkit.soak.runs", 200);
    Path state = Files.createDirectories(temp.resolve("state"));
    OneShotRunner runner = OneShotRunner.builder(SandboxDrivers.byName("bubblewrap")).stateRoot(state).build();
    assertEquals(0, runner.run(ExecutionRequest.builder("true").build()).exitCode(), "warm-up run");
    settle();
    int fds0 = Hardening.openFds();
    int threads0 = Hardening.liveThreads();
    for (int i = 1; i <= runs; i++) {
      ExecutionResult r = runner.run(ExecutionRequest.builder("echo run-" + i).build());
      assertEquals(0, r.exitCode(), "run " + i + ": " + r + " " + r.extendedError());
      assertEquals("run-" + i + "\n", r.stdoutText(), "run " + i);
    }
    Hardening.assertNoChildProcesses();
    assertEquals(List.of(), Hardening.entries(state), "run dirs or markers left behind");
    long end = System.nanoTime() + 15_000_000_000L;
    int fds;
    int threads;
    do {
      settle();
      fds = Hardening.openFds();
      threads = Hardening.liveThreads();
    } while ((fds > fds0 + TOLERANCE || threads > threads0 + TOLERANCE) && System.nanoTime() < end);
    assertTrue(fds <= fds0 + TOLERANCE, "open fds: " + fds0 + " before, " + fds + " after " + runs + " runs");
    assertTrue(threads <= threads0 + TOLERANCE, "threads: " + threads0 + " before, " + threads + " after "
        + runs + " runs: " + Hardening.threadNames());
  }

  private static void settle() throws InterruptedException {
    System.gc();
    Thread.sleep(200);
  }
}
