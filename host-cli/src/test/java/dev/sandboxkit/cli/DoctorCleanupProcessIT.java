package dev.sandboxkit.cli;

import static dev.sandboxkit.cli.Asserts.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** {@code doctor}, {@code cleanup} and the launcher script as real processes. */
@EnabledOnOs(OS.LINUX)
@Timeout(180)
class DoctorCleanupProcessIT {
  private final List<CliProcess> created = new java.util.ArrayList<>();

  @org.junit.jupiter.api.AfterEach
  void tearDown() {
    created.forEach(CliProcess::delete);
  }

  private CliProcess newCli() throws java.io.IOException {
    CliProcess c = new CliProcess();
    created.add(c);
    return c;
  }

  @Test
  void doctorOnThisMachineIsReady() throws Exception {
    CliProcess cli = newCli();
    CliProcess.Result r = cli.run("doctor");
    assertEquals(0, r.exit(), r.stdout() + r.stderr());
    assertContains(r.stdout(), "bubblewrap (default driver)", "✓ bwrap installed", "✓ Java runtime to map",
        "guest agent jar", "windows-sandbox", "✗ ", "ready: the default driver bubblewrap");
    CliProcess.Result json = cli.run("doctor", "--json");
    assertEquals(0, json.exit());
    JsonNode j = new ObjectMapper().readTree(json.stdout());
    assertTrue(j.get("ready").asBoolean());
    assertEquals("bubblewrap", j.get("default_driver").asText());
  }

  @Test
  void cleanupAfterASigkilledRunRemovesTheLeftover() throws Exception {
    CliProcess cli = newCli();
    Path out = cli.tmp.resolve("killed.out");
    Path err = cli.tmp.resolve("killed.err");
    Process p = cli.start(out, err, "run", "--", "sh", "-c", "echo started; sleep 60");
    try {
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (!Files.readString(out).contains("started")) {
        if (!p.isAlive() || System.nanoTime() > deadline) {
          fail("the sandboxed command did not start: " + Files.readString(err));
        }
        Thread.sleep(50);
      }
      List<ProcessHandle> sandbox = p.descendants().toList();
      assertFalse(sandbox.isEmpty(), "bwrap runs under the CLI");
      List<Path> runDirs = cli.runDirs();
      assertEquals(1, runDirs.size(), "one run dir while running");

      p.destroyForcibly(); // SIGKILL: no shutdown hook, no teardown
      assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
      assertEquals(runDirs, cli.runDirs(), "the killed run left its dir behind");

      CliProcess.Result r = cli.run("cleanup");
      assertEquals(0, r.exit(), r.stdout() + r.stderr());
      assertContains(r.stdout(), "removed " + runDirs.get(0));
      assertEquals(List.of(), cli.runDirs());
      long gone = System.nanoTime() + 30_000_000_000L;
      while (sandbox.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < gone) {
        Thread.sleep(100);
      }
      assertTrue(sandbox.stream().noneMatch(ProcessHandle::isAlive), "no sandbox process is left: "
          + sandbox.stream().filter(ProcessHandle::isAlive).map(h -> h.pid() + " " + h.info().command())
              .toList());

      CliProcess.Result again = cli.run("cleanup");
      assertEquals(0, again.exit());
      assertContains(again.stdout(), "nothing to clean up");
    } finally {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }

  @Test
  void theLauncherRunsTheCli() throws Exception {
    CliProcess cli = newCli();
    CliProcess.Result r = cli.exec(List.of(CliProcess.LAUNCHER.toString(), "run", "--", "echo", "hello"),
        null, launcherEnv(cli));
    assertEquals(0, r.exit(), r.stderr());
    assertEquals("hello\n", r.stdout());
    CliProcess.Result v = cli.exec(List.of(CliProcess.LAUNCHER.toString(), "--version"), null, launcherEnv(cli));
    assertEquals(0, v.exit());
    assertContains(v.stdout(), "sandboxkit 0.1.0-SNAPSHOT");
  }

  @Test
  void theLauncherExplainsAMissingBwrap() throws Exception {
    CliProcess cli = newCli();
    Path bin = Files.createDirectories(cli.tmp.resolve("bin-without-bwrap"));
    for (String tool : List.of("bash", "dirname", "uname")) {
      Path target = Path.of("/usr/bin", tool);
      if (!Files.exists(target)) {
        target = Path.of("/bin", tool);
      }
      Files.createSymbolicLink(bin.resolve(tool), target);
    }
    Map<String, String> env = new java.util.HashMap<>(launcherEnv(cli));
    env.put("PATH", bin.toString());
    CliProcess.Result r = cli.exec(List.of(CliProcess.LAUNCHER.toString(), "run", "--", "echo", "hello"),
        null, env);
    assertEquals(125, r.exit(), r.stderr());
    assertContains(r.stderr(), "sandboxkit: bubblewrap (bwrap) is not installed: install it with "
        + "'apt-get install bubblewrap'", "bubblewrap (default driver)");
    assertEquals("", r.stdout());
  }

  /** The launcher uses this build's jars and never builds inside a test. */
  private static Map<String, String> launcherEnv(CliProcess cli) {
    Path buildDir = CliProcess.CLI_JAR.getParent();
    return Map.of(
        "SANDBOXKIT_BUILD_DIR", buildDir.getFileName().toString(),
        "SANDBOXKIT_NO_BUILD", "1",
        "JAVA_HOME", System.getProperty("java.home"),
        "SANDBOXKIT_JAVA_OPTS", "-Djava.io.tmpdir=" + cli.tmp);
  }
}
