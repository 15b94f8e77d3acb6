package dev.sandboxkit.lifecycle.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.lifecycle.EnabledIfBubblewrapAvailable;
import dev.sandboxkit.lifecycle.ExecutionRequest;
import dev.sandboxkit.lifecycle.ExecutionResult;
import dev.sandboxkit.OneShotRunner;
import dev.sandboxkit.SandboxDrivers;
import dev.sandboxkit.lifecycle.internal.controlplane.VmProcId;
import dev.sandboxkit.lifecycle.internal.teardown.Marker;
import dev.sandboxkit.lifecycle.internal.teardown.MarkerStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Hardening: SIGKILL of the host JVM at each lifecycle step. A child JVM runs the one-shot runner
 * and prints its steps; it blocks at the chosen step (or, for "during exec", runs {@code sleep
 * 1000}) and is killed there. Then every process it started is gone (bwrap --die-with-parent) and
 * the next run or {@code cleanup()} leaves the state root empty. Reconcile never kills a process it
 * cannot prove it owns.
 */
@EnabledIfBubblewrapAvailable
class CrashTest {
  @TempDir Path temp;

  @ParameterizedTest(name = "SIGKILL at {0} ({1}), then {2}")
  @CsvSource({
    "launchStart, before launch, cleanup",
    "proofStart, after launch before proof, cleanup",
    "execStart, during exec, cleanup",
    "execStart, during exec, next run",
    "teardownStart, during teardown, cleanup",
  })
  @Timeout(120)
  void sigkillAtEachStepLeavesTheMachineCleanAfterCleanupOrTheNextRun(String step, String what, String then)
      throws Exception {
    Path state = Files.createDirectories(temp.resolve("state"));
    boolean blockHere = !step.equals("execStart");
    String command = step.equals("execStart") ? "sleep 1000" : "true";
    List<ProcessHandle> tree;
    try (Hardening.Child child = Hardening.Child.start(temp.resolve("child.log"), List.of("-XX:+UseSerialGC"),
        state.toString(), blockHere ? step : "-", command)) {
      child.await("STEP " + step, 60_000);
      if (step.equals("proofStart")) {
        // Launched, proof not captured (the marker has no vm_processes). Let bwrap finish its own
        // setup first: see sigkillWithinMillisecondsOfLaunch... for the race this avoids.
        Thread.sleep(1000);
      }
      if (!blockHere) {
        // the command is running: wait until its sleep is visible among the child's descendants
        awaitDescendant(child.process.toHandle(), "sleep", 20_000);
      }
      tree = child.process.toHandle().descendants().collect(Collectors.toList());
      child.kill();
    }
    Hardening.awaitGone(tree, 15_000);
    assertEquals(1, Hardening.entries(state).size(), "the killed run left its run dir: " + Hardening.entries(state));

    OneShotRunner runner = OneShotRunner.builder(SandboxDrivers.byName("bubblewrap")).stateRoot(state).build();
    if (then.equals("cleanup")) {
      String report = runner.cleanup();
      assertEquals(List.of(), Hardening.entries(state), "cleanup left: " + Hardening.entries(state) + "; " + report);
    } else {
      ExecutionResult r = runner.run(ExecutionRequest.builder("echo next").build());
      assertEquals(0, r.exitCode(), r + " " + r.extendedError());
      assertEquals(List.of(), Hardening.entries(state), "the next run left: " + Hardening.entries(state));
    }
    Hardening.assertNoChildProcesses();
  }

  /**
   * A marker whose launcher is dead names a live process: with the wrong creation time it is not
   * ours and survives cleanup; with the right one it is our leftover and cleanup kills it.
   */
  @Test
  @Timeout(60)
  void cleanupKillsOnlyProcessesItCanProveItOwns() throws Exception {
    Path state = Files.createDirectories(temp.resolve("state"));
    MarkerStore store = new MarkerStore(state);
    store.secureRoot();
    long deadPid = deadPid();
    Process foreign = new ProcessBuilder("sleep", "60").start();
    Process ours = new ProcessBuilder("sleep", "60").start();
    try {
      VmProcId foreignId = VmProcId.of(foreign.toHandle()).orElseThrow();
      VmProcId oursId = VmProcId.of(ours.toHandle()).orElseThrow();
      VmProcId wrongTime = new VmProcId(foreignId.pid(), foreignId.creationTime() + 10_000_000L); // 1 s off
      Path foreignRun = store.createRunDir();
      store.write(foreignRun, new Marker(deadPid, 1L, List.of(wrongTime)));
      Path ourRun = store.createRunDir();
      store.write(ourRun, new Marker(deadPid, 1L, List.of(oursId)));

      OneShotRunner.builder(SandboxDrivers.byName("bubblewrap")).stateRoot(state).build().cleanup();

      assertTrue(foreign.isAlive(), "cleanup killed a process whose creation time does not match the marker");
      assertTrue(ours.waitFor(15, TimeUnit.SECONDS), "cleanup left a proven leftover running");
      assertFalse(Files.exists(ourRun), "the reclaimed run dir is removed");
    } finally {
      foreign.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      ours.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  /**
   * SIGKILL of the host within milliseconds of {@code bwrap} starting. The outer bwrap dies
   * (--die-with-parent), but the inner bwrap (pid-namespace init) may not yet have armed its own
   * parent-death signal and is re-parented to init; the marker holds no proof yet, so cleanup rightly
   * refuses to kill it. The host lifeline ends it: bwrap's stdin is a pipe whose write end only the
   * host held, the agent runs with {@code --lifeline stdin}, sees end of file, and exits (code 7),
   * and the namespace init exits with it.
   */
  @Test
  @Timeout(120)
  void sigkillWithinMillisecondsOfLaunchLeavesNoSandboxBehind() throws Exception {
    Path state = Files.createDirectories(temp.resolve("state"));
    List<ProcessHandle> tree;
    try (Hardening.Child child = Hardening.Child.start(temp.resolve("child.log"), List.of("-XX:+UseSerialGC"),
        state.toString(), "proofStart", "true")) {
      child.await("STEP proofStart", 60_000);
      tree = child.process.toHandle().descendants().collect(Collectors.toList());
      child.kill();
    }
    Thread.sleep(500);
    // the inner bwrap is not a descendant of the child any more once orphaned: look it up by state root
    List<ProcessHandle> sandboxes = ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains(state.toString())).orElse(false))
        .collect(Collectors.toList());
    try {
      // The agent needs its JVM start to see the lifeline's end of file; and the orphans' exit is only
      // final once init has reaped them (here up to ~1.5 s later; a zombie still counts as alive).
      // Without the lifeline the orphaned sandbox stays up indefinitely, so 15 s tells them apart.
      Hardening.awaitGone(sandboxes, 15_000);
      Hardening.awaitGone(tree, 15_000);
      System.out.println("sandbox.log of the killed run: " + sandboxLogs(state));
    } finally {
      sandboxes.forEach(ProcessHandle::destroyForcibly); // never leave the orphan on the test machine
    }
  }

  /** The sandbox.log files under the state root (diagnostics: did the agent report its lifeline?). */
  private static String sandboxLogs(Path state) throws java.io.IOException {
    try (var s = Files.walk(state)) {
      StringBuilder b = new StringBuilder();
      for (Path p : (Iterable<Path>) s.filter(f -> f.getFileName().toString().equals("sandbox.log"))::iterator) {
        b.append(p).append(": ").append(Files.readString(p).strip()).append('\n');
      }
      return b.length() == 0 ? "(none)" : b.toString();
    }
  }

  private static long deadPid() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    return p.pid();
  }

  private static void awaitDescendant(ProcessHandle root, String name, long timeoutMillis) throws Exception {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (System.nanoTime() < end) {
      boolean seen = root.descendants()
          .anyMatch(p -> p.info().command().map(c -> c.endsWith("/" + name)).orElse(false));
      if (seen) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no '" + name + "' process under " + root.pid() + " within " + timeoutMillis + " ms");
  }
}
