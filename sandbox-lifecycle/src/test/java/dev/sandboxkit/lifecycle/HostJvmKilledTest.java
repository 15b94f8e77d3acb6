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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** SIGKILL of the host JVM mid-run leaves no sandbox process; the next run cleans the run dir. */
@EnabledIfBubblewrapAvailable
@Timeout(120)
class HostJvmKilledTest {
  @TempDir Path temp;

  @Test
  void sigkillMidRunLeavesNoSandboxAndNextRunCleansUp() throws Exception {
    Path state = Files.createDirectories(temp.resolve("state"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        "-Dsandboxkit.guest.jar=" + System.getProperty("sandboxkit.guest.jar"),
        KillMeMain.class.getName(), state.toString())
        .redirectErrorStream(true).start();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      boolean started = false;
      while ((line = r.readLine()) != null) {
        if (line.contains("EXEC-STARTED")) {
          started = true;
          break;
        }
      }
      assertTrue(started, "the child never started its command");
      List<ProcessHandle> sandbox = List.of();
      long seen = System.nanoTime() + 20_000_000_000L;
      while (System.nanoTime() < seen) {
        sandbox = child.toHandle().descendants().collect(Collectors.toList());
        if (sandbox.stream().anyMatch(p -> p.info().command().orElse("").endsWith("sleep"))) {
          break;
        }
        Thread.sleep(50);
      }
      assertFalse(sandbox.isEmpty(), "no sandbox processes under the child JVM");
      assertTrue(sandbox.stream().anyMatch(p -> p.info().command().orElse("").endsWith("sleep")),
          "the workload is not running");

      child.destroyForcibly(); // SIGKILL: no shutdown hook runs
      child.waitFor();

      long end = System.nanoTime() + 10_000_000_000L;
      while (System.nanoTime() < end && sandbox.stream().anyMatch(HostJvmKilledTest::aliveNotZombie)) {
        Thread.sleep(50);
      }
      assertEquals(List.of(), sandbox.stream().filter(HostJvmKilledTest::aliveNotZombie)
          .map(p -> p.pid() + " " + p.info().command().orElse("?")).collect(Collectors.toList()),
          "sandbox processes survived the host JVM");
    }
    assertEquals(1, list(state).size(), "the killed run leaves its marker dir for reconcile");

    ExecutionResult next = OneShotRunner.builder(SandboxDrivers.byName("bubblewrap")).stateRoot(state).build()
        .run(ExecutionRequest.builder("true").build());
    assertEquals(0, next.exitCode(), next.errorMessage());
    assertEquals(List.of(), list(state), "the next run did not clean the leftover run dir");
  }

  static boolean aliveNotZombie(ProcessHandle p) {
    if (!p.isAlive()) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (Exception e) {
      return false;
    }
  }

  static List<Path> list(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.collect(Collectors.toList());
    }
  }
}
