package dev.sandboxkit.cli;

import static dev.sandboxkit.cli.Asserts.assertContains;
import static dev.sandboxkit.cli.Asserts.assertOneLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** {@code sandboxkit run} as a real process on real bubblewrap. */
@EnabledOnOs(OS.LINUX)
@Timeout(180)
class RunProcessIT {
  private CliProcess cli;

  @BeforeEach
  void setUp() throws Exception {
    cli = new CliProcess();
  }

  @AfterEach
  void tearDown() {
    cli.delete();
  }

  @Test
  void runsEchoInASandbox() throws Exception {
    CliProcess.Result r = cli.run("run", "--", "echo", "hello");
    assertEquals(0, r.exit(), r.stderr());
    assertEquals("hello\n", r.stdout());
    assertEquals("", r.stderr());
    assertEquals(List.of(), cli.runDirs(), "the run dir is removed after the run");
  }

  @Test
  void argumentsArriveAsGiven() throws Exception {
    CliProcess.Result r = cli.run("run", "--", "echo", "a b", "it's", "$HOME");
    assertEquals(0, r.exit(), r.stderr());
    assertEquals("a b it's $HOME\n", r.stdout());
  }

  @Test
  void passesTheExitCodeThrough() throws Exception {
    assertEquals(3, cli.run("run", "--", "sh", "-c", "exit 3").exit());
    assertEquals(0, cli.run("run", "--", "true").exit());
  }

  @Test
  void forwardsStdin() throws Exception {
    byte[] in = "line one\nline two\n".getBytes(StandardCharsets.UTF_8);
    CliProcess.Result r = cli.runWithStdin(in, "run", "--", "cat");
    assertEquals(0, r.exit(), r.stderr());
    assertEquals("line one\nline two\n", r.stdout());
  }

  @Test
  void timeoutExits124WithOneLine() throws Exception {
    CliProcess.Result r = cli.run("run", "--timeout", "1s", "--", "sleep", "30");
    assertEquals(124, r.exit(), r.stderr());
    assertOneLine(r.stderr());
    assertContains(r.stderr(), "sandboxkit: the command timed out after 1s: ");
  }

  /** Issue 14.4: a command the memory limit killed keeps its 137 and stderr says why, once. */
  @Test
  void aCommandKilledAtTheMemoryLimitSaysSo() throws Exception {
    CliProcess.Result r = cli.run("run", "--memory", "160m", "--", "python3", "-c",
        "a = []\nwhile True: a.append(bytearray(8 << 20))");
    org.junit.jupiter.api.Assumptions.assumeTrue(r.exit() != 125 || !r.stderr().contains("cannot be enforced"),
        "this host cannot enforce a memory limit: " + r.stderr());
    assertEquals(137, r.exit(), r.stderr());
    assertContains(r.stderr(), "sandboxkit: the command was killed: the sandbox's memory limit of 160 MiB was reached",
        "--memory");
  }

  @Test
  void policyRejectionExits125WithoutLaunching() throws Exception {
    Path missing = cli.tmp.resolve("no-such-folder");
    CliProcess.Result r = cli.run("run", "--rw", missing.toString(), "--", "echo", "never");
    assertEquals(125, r.exit(), r.stderr());
    assertOneLine(r.stderr());
    assertContains(r.stderr(), "sandboxkit: ", "policy cannot be enforced", missing.toString());
    assertEquals("", r.stdout());
    assertEquals(List.of(), cli.runDirs(), "no run dir was created");
  }

  @Test
  void badUsageExits125() throws Exception {
    CliProcess.Result r = cli.run("run", "--timeout", "forever", "--", "true");
    assertEquals(125, r.exit());
    assertOneLine(r.stderr());
    assertContains(r.stderr(), "sandboxkit: ", "500ms, 30s, 2m, 1h");
  }

  @Test
  void spawnFailureInTheSandboxExits126() throws Exception {
    CliProcess.Result r = cli.run("run", "--cwd", "/no/such/dir", "--", "true");
    assertEquals(126, r.exit(), r.stderr());
    assertOneLine(r.stderr());
  }

  @Test
  void jsonPrintsOneObject() throws Exception {
    CliProcess.Result r = cli.run("run", "--json", "--", "sh", "-c", "echo out; echo err >&2; exit 4");
    assertEquals(4, r.exit(), r.stderr());
    assertOneLine(r.stdout());
    JsonNode j = new ObjectMapper().readTree(r.stdout());
    List<String> keys = new ArrayList<>();
    j.fieldNames().forEachRemaining(keys::add);
    assertEquals(List.of("exit_code", "stdout", "stderr", "error_message", "extended_error",
        "failure_phase", "stdout_truncated", "stderr_truncated"), keys, "the README's fields, in its order");
    assertFalse(j.get("stdout_truncated").asBoolean());
    assertFalse(j.get("stderr_truncated").asBoolean());
    assertEquals(4, j.get("exit_code").asInt());
    assertEquals("out\n", j.get("stdout").asText());
    assertEquals("err\n", j.get("stderr").asText());
    assertEquals("ProcessExited", j.get("failure_phase").asText());
  }

  @Test
  void malformedJsonExits125WithOneLine() throws Exception {
    Path f = copy("malformed.json");
    CliProcess.Result r = cli.run("run", "--config", f.toString());
    assertEquals(125, r.exit());
    assertOneLine(r.stderr());
    assertContains(r.stderr(), "sandboxkit: configuration parse error: Invalid JSON syntax");
    assertEquals(List.of(), cli.runDirs());
  }

  @Test
  void unknownKeysExit125WithOneLine() throws Exception {
    CliProcess.Result r = cli.run("run", "--config", copy("unknown_key.json").toString());
    assertEquals(125, r.exit());
    assertOneLine(r.stderr());
    assertContains(r.stderr(), "unknown field `workingDirectory`");
  }

  // mxc's run_windows_sandbox_one_shot_tests.ps1 cases, adapted for Linux. The stdout checked is
  // the workload's own (no --debug echo of the command line as in mxc's script).

  @Test
  void mxcEcho() throws Exception {
    for (int i = 1; i <= 3; i++) { // cases 1 and 8-10 (multi-exec, a new sandbox each time)
      CliProcess.Result r = config("windows_sandbox_echo.json");
      assertEquals(0, r.exit(), r.stderr());
      assertEquals("Hello from sandbox!\n", r.stdout());
    }
  }

  @Test
  void mxcBasic() throws Exception {
    for (String f : List.of("basic_windows_sandbox.json", "09_windows_sandbox_hello_world.json")) {
      CliProcess.Result r = config(f);
      assertEquals(0, r.exit(), r.stderr());
      assertContains(r.stdout(), "Hello from Windows Sandbox!\n", "executed successfully");
    }
  }

  @Test
  void mxcPowershellAdapted() throws Exception {
    CliProcess.Result r = config("windows_sandbox_powershell.json");
    assertEquals(0, r.exit(), r.stderr());
    assertContains(r.stdout(), "PowerShell works\n");
  }

  @Test
  void mxcPowershellEnvAdapted() throws Exception {
    CliProcess.Result r = config("windows_sandbox_powershell_env.json");
    assertEquals(0, r.exit(), r.stderr());
    assertContains(r.stdout(), "ComputerName=", "User=", "ProcessCount=");
  }

  @Test
  void mxcStderr() throws Exception {
    CliProcess.Result r = config("windows_sandbox_stderr.json");
    assertEquals(0, r.exit(), r.stderr());
    assertEquals("stdout-message\n", r.stdout());
    assertEquals("stderr-message\n", r.stderr());
  }

  @Test
  void mxcExitCode() throws Exception {
    assertEquals(42, config("windows_sandbox_exit_code.json").exit());
  }

  @Test
  void mxcTimeout() throws Exception {
    CliProcess.Result r = config("windows_sandbox_timeout.json");
    assertEquals(124, r.exit(), r.stderr());
  }

  @Test
  void mxcCustomTimeoutAdapted() throws Exception {
    CliProcess.Result r = config("windows_sandbox_custom_timeout.json");
    assertEquals(0, r.exit(), r.stderr());
    assertContains(r.stdout(), "Sandbox test successful");
  }

  @Test
  void mxcNetworkIsolatedFails() throws Exception {
    CliProcess.Result r = config("10_windows_sandbox_network_isolated.json");
    assertNotEquals(0, r.exit(), r.stdout());
    assertTrue(r.exit() != 124 && r.exit() != 125 && r.exit() != 126,
        "the command itself failed, not sandboxkit: " + r.exit() + " " + r.stderr());
  }

  @Test
  void configBase64WithArgvOverride() throws Exception {
    String b64 = java.util.Base64.getEncoder().encodeToString(
        MxcConfigParserTest.resource("windows_sandbox_echo.json"));
    CliProcess.Result r = cli.run("run", "--config-base64", b64, "--", "echo", "override");
    assertEquals(0, r.exit(), r.stderr());
    assertEquals("override\n", r.stdout());
  }

  private CliProcess.Result config(String name) throws Exception {
    return cli.run("run", "--config", copy(name).toString());
  }

  private Path copy(String name) throws Exception {
    Path f = cli.tmp.resolve(name);
    Files.write(f, MxcConfigParserTest.resource(name));
    return f;
  }

  /**
   * SIGTERM during a run: 143 and one line, and the shutdown hook tears the sandbox down to the end:
   * no sandbox process and no run dir left (the hook used to only kill, leaving the run dir).
   */
  @Test
  void sigtermDuringARunTearsTheSandboxDownAndRemovesItsRunDir() throws Exception {
    Path out = cli.tmp.resolve("t.out");
    Path err = cli.tmp.resolve("t.err");
    Process run = cli.start(out, err, "run", "--", "sh", "-c", "echo up; exec sleep 1000");
    long end = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
    while (!Files.readString(out).contains("up")) {
      assertTrue(System.nanoTime() < end && run.isAlive(), "no 'up' within 60 s: " + Files.readString(err));
      Thread.sleep(10);
    }
    List<ProcessHandle> sandbox = run.descendants().toList();
    assertTrue(sandbox.stream().anyMatch(h -> h.info().commandLine().orElse("").contains("sleep 1000")),
        "the command runs under the CLI");
    assertEquals(1, cli.runDirs().size());
    run.destroy(); // SIGTERM
    assertTrue(run.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
    assertEquals(143, run.exitValue(), Files.readString(err));
    assertContains(Files.readString(err), "terminated (SIGTERM): the sandbox is torn down");
    assertEquals(List.of(), cli.runDirs(), "the hook removed the run dir once the sandbox was confirmed gone");
    end = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (sandbox.stream().anyMatch(RunProcessIT::runs) && System.nanoTime() < end) {
      Thread.sleep(10);
    }
    assertTrue(sandbox.stream().noneMatch(RunProcessIT::runs), "no sandbox process after SIGTERM");
  }

  /** True while {@code p} runs (a zombie init has not reaped yet runs nothing). */
  private static boolean runs(ProcessHandle p) {
    if (!p.isAlive()) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (java.io.IOException | RuntimeException e) {
      return false;
    }
  }
}
