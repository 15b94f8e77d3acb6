package dev.sandboxkit.lifecycle;

import dev.sandboxkit.*;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live sandbox keeps the one-shot guarantees when its host JVM goes away mid-execution without
 * close(): SIGTERM runs the shutdown hook to completion (sandbox killed and confirmed gone, then its
 * run dir removed), for a session and a one-shot run alike; SIGKILL leaves no sandbox process (the
 * lifeline) and a run dir that the next sandbox's start reconciles.
 */
@EnabledIfBubblewrapAvailable
@Timeout(120)
class SessionHostExitTest {
  @TempDir Path temp;

  @Test
  void sigtermRunsTheShutdownHook() throws Exception {
    Path state = Files.createDirectories(temp.resolve("state"));
    Process child = startChild(state);
    List<ProcessHandle> sandbox = awaitRunning(child);
    child.destroy(); // SIGTERM: the shutdown hook tears the sandbox down
    child.waitFor();
    awaitGone(sandbox);
    assertEquals(List.of(), HostJvmKilledTest.list(state), "the hook removed the run dir once the sandbox was gone");
  }

  /** The one-shot run goes through the same sandbox code: SIGTERM mid-run leaves nothing either. */
  @Test
  void sigtermDuringAOneShotRunRunsTheShutdownHook() throws Exception {
    Path state = Files.createDirectories(temp.resolve("state"));
    Process child = startChild(state, "oneshot");
    List<ProcessHandle> sandbox = awaitRunning(child);
    child.destroy();
    child.waitFor();
    awaitGone(sandbox);
    assertEquals(List.of(), HostJvmKilledTest.list(state), "the hook removed the run dir once the sandbox was gone");
  }

  @Test
  void sigkillLeavesNoSandboxAndTheNextStartReconciles() throws Exception {
    Path state = Files.createDirectories(temp.resolve("state"));
    Process child = startChild(state);
    List<ProcessHandle> sandbox = awaitRunning(child);
    child.destroyForcibly(); // no hook: the lifeline ends the sandbox
    child.waitFor();
    awaitGone(sandbox);
    assertEquals(1, HostJvmKilledTest.list(state).size(), "the killed run leaves its marker dir for reconcile");
    try (Sandbox next = Sandbox.builder(SandboxDrivers.byName("bubblewrap")).stateRoot(state).start()) {
      assertEquals(List.of(state.resolve(next.id())), HostJvmKilledTest.list(state),
          "the start reconciled the leftover run dir");
    }
  }

  static Process startChild(Path state, String... mode) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
        "-Dsandboxkit.guest.jar=" + System.getProperty("sandboxkit.guest.jar"),
        SessionExitMain.class.getName(), state.toString()));
    cmd.addAll(List.of(mode));
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true).start();
  }

  static List<ProcessHandle> awaitRunning(Process child) throws Exception {
    BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    String line;
    boolean started = false;
    while ((line = r.readLine()) != null) {
      if (line.startsWith("EXEC-STARTED")) {
        started = true;
        break;
      }
    }
    assertTrue(started, "the child never started its execution");
    Thread drain = new Thread(() -> {
      try {
        child.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
      } catch (java.io.IOException ignored) {
        // the child is gone
      }
    });
    drain.setDaemon(true);
    drain.start();
    long end = System.nanoTime() + 20_000_000_000L;
    List<ProcessHandle> sandbox = List.of();
    while (System.nanoTime() < end) {
      sandbox = child.toHandle().descendants().collect(Collectors.toList());
      if (sandbox.stream().anyMatch(p -> p.info().command().orElse("").endsWith("sleep"))) {
        return sandbox;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the execution's sleep never ran: " + SessionHarness.describe(sandbox));
  }

  static void awaitGone(List<ProcessHandle> sandbox) throws InterruptedException {
    long end = System.nanoTime() + 15_000_000_000L;
    while (System.nanoTime() < end && sandbox.stream().anyMatch(HostJvmKilledTest::aliveNotZombie)) {
      Thread.sleep(50);
    }
    assertFalse(sandbox.stream().anyMatch(HostJvmKilledTest::aliveNotZombie),
        "sandbox processes survived the host JVM: " + SessionHarness.describe(sandbox));
  }
}
