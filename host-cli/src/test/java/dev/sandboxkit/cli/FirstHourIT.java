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

  // 7. One cause, one message.

  /** Starts the launcher with {@code args}; returns once the command printed "started". */
  private Process startAndWait(Path out, Path err, String... args) throws Exception {
    // its own process group (setsid execs in place: the child is no group leader), as a terminal's
    // foreground job is, so a signal to the group reaches every process as Ctrl-C would
    // SIGINT at its default action, as a shell sets it for a foreground job (CliProcess.DEFAULT_SIGINT)
    List<String> cmd = new java.util.ArrayList<>(CliProcess.DEFAULT_SIGINT);
    cmd.addAll(List.of("setsid", CliProcess.LAUNCHER.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().putAll(launcherEnv(cli));
    Process p = pb.start();
    long deadline = System.nanoTime() + CliProcess.DEADLINE.toNanos();
    while (!java.nio.file.Files.readString(out).contains("started")) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        p.destroyForcibly();
        org.junit.jupiter.api.Assertions.fail("the command did not start: "
            + java.nio.file.Files.readString(err));
      }
      Thread.sleep(50);
    }
    return p;
  }

  private static int awaitExit(Process p) throws Exception {
    if (!p.waitFor(CliProcess.DEADLINE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      org.junit.jupiter.api.Assertions.fail("no exit");
    }
    return p.exitValue();
  }

  /** Every process of the run is gone (the sandbox was torn down), within the deadline. */
  private static void assertGone(List<ProcessHandle> procs) throws Exception {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
    while (procs.stream().anyMatch(ProcessHandle::isAlive)) {
      if (System.nanoTime() > deadline) {
        org.junit.jupiter.api.Assertions.fail("sandbox processes left: " + procs);
      }
      Thread.sleep(50);
    }
  }

  private void interrupt(boolean quiet, String expectedErr) throws Exception {
    Path out = cli.tmp.resolve("out");
    Path err = cli.tmp.resolve("err");
    Process p = quiet ? startAndWait(out, err, "run", "-q", "--", "sh", "-c", "echo started; sleep 60")
        : startAndWait(out, err, "run", "--", "sh", "-c", "echo started; sleep 60");
    List<ProcessHandle> procs = p.descendants().toList();
    // Ctrl-C: SIGINT to the foreground process group (the launcher, the CLI, bwrap, the guest)
    new ProcessBuilder("kill", "-INT", "--", "-" + p.pid()).start().waitFor();
    assertEquals(130, awaitExit(p));
    assertEquals(expectedErr, java.nio.file.Files.readString(err));
    assertGone(procs);
  }

  @Test
  void ctrlCExits130WithOneLine() throws Exception {
    interrupt(false, "sandboxkit: interrupted (Ctrl-C): the sandbox is torn down\n");
  }

  @Test
  void ctrlCIsQuietWithQ() throws Exception {
    interrupt(true, "");
  }

  @Test
  void agentDiedSaysSo() throws Exception {
    Path out = cli.tmp.resolve("out");
    Path err = cli.tmp.resolve("err");
    Process p = startAndWait(out, err, "run", "--", "sh", "-c", "echo started; sleep 60");
    List<ProcessHandle> agents = p.descendants()
        .filter(h -> h.info().commandLine().orElse("").contains("sandboxkit-guest.jar"))
        .filter(h -> !h.info().command().orElse("").endsWith("bwrap")).toList();
    org.junit.jupiter.api.Assertions.assertFalse(agents.isEmpty(), "the guest agent's process is found");
    agents.forEach(ProcessHandle::destroyForcibly); // as a workload or the OOM killer would
    assertEquals(126, awaitExit(p));
    String e = java.nio.file.Files.readString(err);
    Asserts.assertOneLine(e);
    Asserts.assertContains(e, "sandboxkit: the guest agent stopped while the command ran",
        "the command may have killed it");
    assertNotContains(e, "working directory");
  }

  @Test
  void missingWorkingDirectoryGetsOneAdvice() throws Exception {
    CliProcess.Result r = shell("\"$L\" run --cwd /nonexistent -- true");
    assertEquals(126, r.exit());
    assertEquals("sandboxkit: working directory '/nonexistent' does not exist or is not a directory "
        + "inside the sandbox: map that folder (--rw DIR, --ro DIR or --here) or pass a --cwd that "
        + "exists in the sandbox\n", r.stderr());
  }

  @Test
  void guestMessagesAreEscaped() throws Exception {
    // the guest's error_message quotes the working directory: an escape sequence in it is shown inert
    CliProcess.Result r = shell("\"$L\" run --cwd $'/tmp/\\e[31mred\\a' -- true");
    assertEquals(126, r.exit());
    Asserts.assertContains(r.stderr(), "'/tmp/\\u{001B}[31mred\\u{0007}'");
    assertNotContains(r.stderr(), "\u001b");
    Asserts.assertOneLine(r.stderr());
  }

  @Test
  void brokenMappingIsOneLineWithOneAdvice() throws Exception {
    CliProcess.Result r = shell("\"$L\" run --rw /nonexistent-sk -- true");
    assertEquals(125, r.exit());
    Asserts.assertOneLine(r.stderr());
    Asserts.assertContains(r.stderr(), "/nonexistent-sk", "does not exist");
    assertNotContains(r.stderr(), "the connection to the guest");
  }

  // 9. Log records in the CLI's one-line format, silenced by -q.

  @Test
  void libraryWarningsAreOneLineAndQuietWithQ() throws Exception {
    CliProcess.Result r = shell("\"$L\" run -- echo hi >/dev/full");
    assertEquals(0, r.exit());
    Asserts.assertOneLine(r.stderr());
    Asserts.assertContains(r.stderr(), "sandboxkit: warning: writing stdout to the caller's stream "
        + "failed: No space left on device");
    assertNotContains(r.stderr(), "WARNING");
    CliProcess.Result q = shell("\"$L\" run -q -- echo hi >/dev/full");
    assertEquals(0, q.exit());
    assertEquals("", q.stderr());
  }

  // 10. A symlinked launcher finds its checkout.

  @Test
  void aSymlinkedLauncherFindsItsCheckout() throws Exception {
    Path bin = java.nio.file.Files.createDirectories(cli.tmp.resolve("bin"));
    Path other = java.nio.file.Files.createDirectories(cli.tmp.resolve("other"));
    java.nio.file.Files.createSymbolicLink(other.resolve("sk"), CliProcess.LAUNCHER);
    java.nio.file.Files.createSymbolicLink(bin.resolve("sandboxkit"), Path.of("../other/sk"));
    Map<String, String> env = new HashMap<>(launcherEnv(cli));
    env.put("PATH", bin + ":" + System.getenv("PATH"));
    CliProcess.Result r = cli.exec(List.of("bash", "-c", "cd / && sandboxkit run -- echo hello"), null, env);
    assertEquals(0, r.exit(), r.stderr());
    assertEquals("hello\n", r.stdout());
  }

  // 6. Arguments and paths byte for byte whatever the locale; 14.7 inputs.

  @Test
  void argumentsAndPathsAreExactWithoutALocale() throws Exception {
    Path dir = java.nio.file.Files.createDirectories(cli.tmp.resolve("dir ü 😀"));
    java.nio.file.Files.writeString(dir.resolve("f"), "inside\n");
    for (String java : List.of("\"$L\"", "$J")) { // the launcher, and java -jar with no help
      CliProcess.Result r = shell("D=\"" + dir + "\"; exec env -i PATH=/usr/bin:/bin HOME=\"$HOME\" " + java
          + " run -q --ro \"$D\" -- sh -c 'printf \"%s|\" \"$1\"; cat \"$2/f\"' sh 'ünï 😀' \"$D\"");
      if (java.equals("$J")) {
        // without the launcher's UTF-8 locale Java cannot name the path: told what to do
        assertEquals(125, r.exit(), r.stdout());
        Asserts.assertContains(r.stderr(), "export LC_ALL=C.UTF-8");
        Asserts.assertOneLine(r.stderr());
      } else {
        assertEquals(0, r.exit(), r.stderr());
        assertEquals("ünï 😀|inside\n", r.stdout());
      }
    }
    CliProcess.Result j = shell("exec env -i PATH=/usr/bin:/bin $J run -q -- printf '%s' 'ünï 😀'");
    assertEquals(0, j.exit(), j.stderr());
    assertEquals("ünï 😀", j.stdout());
  }

  @Test
  void invalidUtf8ArgumentsAreRefusedNotChanged() throws Exception {
    CliProcess.Result r = shell("\"$L\" run -- printf '%s' $'a\\xffb'");
    assertEquals(125, r.exit());
    assertEquals("sandboxkit: argument 5 is not valid UTF-8: pass text as UTF-8; pass other bytes "
        + "through stdin or a file in a mapped folder\n", r.stderr());
    assertEquals("", r.stdout());
  }

  @Test
  void configFilesAreReadWithABound() throws Exception {
    CliProcess.Result r = shell("\"$L\" run --config /dev/zero");
    assertEquals(125, r.exit());
    Asserts.assertOneLine(r.stderr());
    Asserts.assertContains(r.stderr(), "'/dev/zero' is larger than 16 MiB");
  }

  @Test
  void argumentListTooLongIsReportedAsSuch() throws Exception {
    // each word is short, but sh -c gets them as one argument longer than Linux's 128 KiB
    CliProcess.Result r = shell("\"$L\" run -- echo $(seq 1 30000)");
    assertEquals(125, r.exit());
    Asserts.assertOneLine(r.stderr());
    Asserts.assertContains(r.stderr(), "sandboxkit: Argument list too long: the command line is",
        "pass large inputs through stdin");
    assertEquals(List.of(), cli.runDirs(), "nothing launched");
  }
}
