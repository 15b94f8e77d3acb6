package dev.sandboxkit.cli;

import static dev.sandboxkit.cli.Asserts.assertNotContains;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Issue 13, what a new user hits in the first hour, through the real launcher ({@code ./sandboxkit})
 * and a real shell: each case a command line as a user types it.
 */
@EnabledOnOs(OS.LINUX)
@Timeout(180)
class FirstHourIT {
  private CliProcess cli;

  @BeforeEach
  void setUp() throws Exception {
    cli = new CliProcess();
  }

  @AfterEach
  void tearDown() {
    cli.delete();
  }

  /** Runs {@code script} with bash; {@code $L} is the launcher, {@code $J} the java -jar command. */
  private CliProcess.Result shell(String script) throws Exception {
    Map<String, String> env = new HashMap<>(launcherEnv(cli));
    env.put("L", CliProcess.LAUNCHER.toString());
    env.put("J", String.join(" ", cli.javaCommand()));
    return cli.exec(List.of("bash", "-c", script), null, env);
  }

  /** The launcher uses this build's jars and never builds inside a test. */
  static Map<String, String> launcherEnv(CliProcess cli) {
    Path buildDir = CliProcess.CLI_JAR.getParent();
    return Map.of(
        "SANDBOXKIT_BUILD_DIR", buildDir.getFileName().toString(),
        "SANDBOXKIT_NO_BUILD", "1",
        "JAVA_HOME", System.getProperty("java.home"),
        "SANDBOXKIT_JAVA_OPTS", "-Djava.io.tmpdir=" + cli.tmp);
  }

  // 1. Closed standard descriptors: the JVM reused fd 0 for lib/modules and the CLI forwarded it.

  @Test
  void closedStdinIsEndOfFileThroughTheLauncher() throws Exception {
    CliProcess.Result r = shell("\"$L\" run -q -- sh -c 'head -c 16 | od -c' 0<&-");
    assertEquals(0, r.exit(), r.stderr());
    assertEquals("0000000\n", r.stdout(), "the command reads end of file, not a host file");
    assertEquals("", r.stderr());
    assertEquals(List.of(), cli.runDirs(), "no run folder left");
  }

  @Test
  void trueWithClosedStdinExits0() throws Exception {
    CliProcess.Result r = shell("\"$L\" run -- true 0<&-");
    assertEquals(0, r.exit(), r.stderr());
    assertEquals(List.of(), cli.runDirs());
  }

  @Test
  void closedStdinIsEndOfFileWithJavaJar() throws Exception {
    // no launcher: the JVM has opened its files on fd 0 before main runs
    CliProcess.Result r = shell("exec $J run -q -- sh -c 'head -c 16 | od -c' 0<&-");
    assertEquals(0, r.exit(), r.stderr());
    assertEquals("0000000\n", r.stdout());
    assertEquals(List.of(), cli.runDirs());
  }

  @Test
  void closedStdoutAndStderrDiscardQuietly() throws Exception {
    CliProcess.Result out = shell("\"$L\" run -- echo hi >&-; echo \"rc=$?\" >&2");
    assertEquals("rc=0\n", out.stderr());
    CliProcess.Result err = shell("\"$L\" run -- sh -c 'echo out; echo err >&2' 2>&-");
    assertEquals(0, err.exit());
    assertEquals("out\n", err.stdout());
    CliProcess.Result jar = shell("exec $J run -- sh -c 'echo out; echo err >&2' 1>&- 2>&-");
    assertEquals(0, jar.exit());
  }

  // 2. A closed downstream pipe ends the run like a shell pipeline: 141, quietly, at once.

  @Test
  void yesIntoHeadEndsWith141() throws Exception {
    CliProcess.Result r = shell("\"$L\" run -- yes | head -2; echo \"rc=${PIPESTATUS[0]}\" >&2");
    assertEquals("y\ny\n", r.stdout());
    assertEquals("rc=141\n", r.stderr(), "nothing printed but the exit code");
  }

  @Test
  void brokenPipeWithJavaJarAndQuietStderr() throws Exception {
    CliProcess.Result r = shell("$J run -- sh -c 'yes | head -c 10000000; echo done >&2' | head -c 3;"
        + " echo \"rc=${PIPESTATUS[0]}\" >&2");
    assertEquals("y\ny", r.stdout());
    assertEquals("rc=141\n", r.stderr());
    assertNotContains(r.stderr(), "WARNING");
  }
}
