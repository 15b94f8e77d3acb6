package dev.sandboxkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.lifecycle.ExecutionRequest;
import dev.sandboxkit.lifecycle.SandboxDriver.Check;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Main} builds only the subcommand the arguments name (start-up time); every output, error
 * message and exit code must be the same as with the full command tree.
 */
class FastPathTest {

  static Stream<Arguments> argumentLists() {
    return Stream.of(
        List.of(),
        List.of("--help"), List.of("-h"), List.of("--version"), List.of("-V"),
        List.of("--version", "run"), List.of("--help", "run"), List.of("-V", "-V"),
        List.of("help"), List.of("help", "run"), List.of("help", "doctor"), List.of("help", "cleanup"),
        List.of("help", "nosuch"), List.of("help", "run", "extra"),
        List.of("run", "--help"), List.of("run", "-h"), List.of("run", "--version"), List.of("run", "-V"),
        List.of("doctor", "--help"), List.of("doctor", "--version"), List.of("doctor", "-V"),
        List.of("cleanup", "--help"), List.of("cleanup", "-V"),
        List.of("runn"), List.of("Run", "--", "true"), List.of("run"), List.of("run", "--bogus"),
        List.of("run", "--bogus", "--", "true"), List.of("run", "--rww", "/tmp", "--", "true"),
        List.of("run", "--timeout", "5x", "--", "true"), List.of("run", "--timeout"),
        List.of("run", "--network", "maybe", "--", "true"), List.of("run", "--driver", "nosuch", "--", "true"),
        List.of("run", "--config", "/nonexistent.json"),
        List.of("run", "--config", "a", "--config-base64", "b", "--", "x"),
        List.of("run", "--", "true"), List.of("run", "--json", "--", "echo", "hi"),
        List.of("run", "-q", "--", "echo"), List.of("run", "-v", "--", "echo"), List.of("run", "doctor"),
        List.of("run", "help"), List.of("run", "--", "run", "--help"), List.of("run", "--rw"),
        List.of("--verbose", "run", "--", "true"), List.of("-v"), List.of("--bogus"),
        List.of("doctor"), List.of("doctor", "--json"), List.of("doctor", "--bogus"), List.of("doctor", "--json", "extra"),
        List.of("doctor", "run"),
        List.of("cleanup"), List.of("cleanup", "--bogus"), List.of("cleanup", "--driver", "nosuch"),
        List.of("cleanup", "extra"), List.of("cleanup", "doctor"), List.of("cleanup", "--force-reclaim"),
        // run -- COMMAND...: the direct path (no picocli model)
        List.of("run", "--", "echo", "hi"), List.of("run", "--", "--help"), List.of("run", "--", "-v", "x"),
        List.of("run", "--", "--json"), List.of("run", "--", "run"), List.of("run", "--", ""),
        List.of("run", "--", "echo", "a", "--", "b", "", "c"), List.of("run", "--", "echo", "@/etc/hostname"),
        List.of("run", "--", "sh", "-c", "echo 'a b' \"$x\""), List.of("run", "--", "--"),
        List.of("run", "--", "caf\u00e9", "\u2603"))
        .map(a -> Arguments.of(a));
  }

  @ParameterizedTest
  @MethodSource("argumentLists")
  void sameOutputAndExitCodeAsTheFullTree(List<String> argList) {
    String[] args = argList.toArray(String[]::new);
    Cli fast = cli();
    Cli full = cli();
    int fastExit = fast.execute(args);
    int fullExit = full.executeFullTree(args);
    assertEquals(full.out(), fast.out(), "stdout");
    assertEquals(untimed(full.err()), untimed(fast.err()), "stderr");
    assertEquals(fullExit, fastExit, "exit code");
    assertEquals(full.backend.runs.size(), fast.backend.runs.size(), "runs");
    for (int i = 0; i < full.backend.runs.size(); i++) {
      FakeBackend.Run f = full.backend.runs.get(i);
      FakeBackend.Run d = fast.backend.runs.get(i);
      assertEquals(f.commandLine(), d.commandLine(), "command line");
      assertEquals(f.workingDirectory(), d.workingDirectory(), "working directory");
      assertEquals(f.timeout(), d.timeout(), "timeout");
      assertEquals(f.policy(), d.policy(), "policy");
      assertEquals(f.stdin().isPresent(), d.stdin().isPresent(), "stdin forwarded");
      assertEquals(f.stdout().isPresent(), d.stdout().isPresent(), "stdout streamed");
    }
    assertEquals(full.backend.forceReclaims, fast.backend.forceReclaims, "force reclaim");
    assertEquals(full.backend.cleanups, fast.backend.cleanups, "cleanups");
  }

  @Test
  void onlyRunDashDashCommandTakesTheDirectPath() {
    assertTrue(DirectRun.applies(new String[] {"run", "--", "true"}));
    assertTrue(DirectRun.applies(new String[] {"run", "--", "--help"}));
    assertFalse(DirectRun.applies(new String[] {"run", "--"}), "no command: picocli reports it");
    assertFalse(DirectRun.applies(new String[] {"run", "true"}));
    assertFalse(DirectRun.applies(new String[] {"run", "-q", "--", "true"}));
    assertFalse(DirectRun.applies(new String[] {"--verbose", "run", "--", "true"}));
    assertFalse(DirectRun.applies(new String[] {"Run", "--", "true"}));
    assertFalse(DirectRun.applies(new String[] {}));
  }

  /** A failure escaping the run (here the backend's) is reported as picocli's handler reports it. */
  @ParameterizedTest
  @MethodSource("failures")
  void anEscapingFailureIsReportedTheSameOnBothPaths(RuntimeException failure) {
    String[] args = {"run", "--", "true"};
    Cli fast = cli();
    Cli full = cli();
    fast.backend.onRun = r -> {
      throw failure;
    };
    full.backend.onRun = fast.backend.onRun;
    int fastExit = fast.execute(args);
    int fullExit = full.executeFullTree(args);
    assertEquals(untimed(full.err()), untimed(fast.err()), "stderr");
    assertEquals(full.out(), fast.out(), "stdout");
    assertEquals(fullExit, fastExit, "exit code");
    assertFalse(fast.err().isEmpty(), "the failure is reported");
  }

  static Stream<RuntimeException> failures() {
    return Stream.of(new IllegalStateException("boom"),
        CliException.usage("unknown driver 'x'", "use --driver auto"),
        new java.io.UncheckedIOException(new java.io.IOException("disk gone")));
  }

  /** A word starting with @ reaches the sandbox as it is: picocli's @-file expansion is off. */
  @Test
  void atWordsAreNotExpandedOnEitherPath() {
    for (boolean direct : new boolean[] {true, false}) {
      Cli c = cli();
      int exit = direct ? c.execute("run", "--", "echo", "@/etc/hostname")
          : c.execute("run", "-q", "--", "echo", "@/etc/hostname");
      assertEquals(0, exit, c.err());
      assertEquals("echo @/etc/hostname", c.backend.runs.get(0).commandLine(), "direct=" + direct);
    }
  }

  /** The launcher's recording run builds and exercises the parser the direct path skips, running nothing. */
  @Test
  void rehearsingTheParserRunsNothing() {
    FakeBackend backend = new FakeBackend();
    SandboxkitCommand.rehearseParsing(backend);
    assertEquals(List.of(), backend.runs);
    assertEquals(List.of(), backend.cleanups);
  }

  @Test
  void onlyTheNamedSubcommandIsBuilt() {
    assertEquals(List.of("run"), List.copyOf(cli().newCommandLine("run", "--", "true").getSubcommands().keySet()));
    assertEquals(List.of("doctor"), List.copyOf(cli().newCommandLine("doctor").getSubcommands().keySet()));
    assertEquals(List.of("cleanup"), List.copyOf(cli().newCommandLine("cleanup", "-v").getSubcommands().keySet()));
    assertEquals(List.of("prepare"), List.copyOf(cli().newCommandLine("prepare", "-q").getSubcommands().keySet()));
    assertEquals(List.of(), List.copyOf(cli().newCommandLine("--version").getSubcommands().keySet()));
    assertEquals(List.of("run", "start", "exec", "stop", "ls", "doctor", "cleanup", "prepare", "help"),
        List.copyOf(cli().newCommandLine("--help").getSubcommands().keySet()));
    assertEquals(List.of("run", "start", "exec", "stop", "ls", "doctor", "cleanup", "prepare", "help"),
        List.copyOf(cli().newCommandLine().getSubcommands().keySet()));
  }

  @Test
  void theRunSubcommandStopsAtTheFirstPositionalOnBothPaths() {
    assertEquals(true, cli().newCommandLine("run").getSubcommands().get("run").isStopAtPositional());
    assertEquals(true, SandboxkitCommand.newCommandLine(new FakeBackend(), Io.system())
        .getSubcommands().get("run").isStopAtPositional());
  }

  private static Cli cli() {
    Cli cli = new Cli();
    cli.backend.reports = List.of(new Backend.DriverReport("bubblewrap", true,
        List.of(new Check("bwrap installed", true, "/usr/bin/bwrap", ""))));
    cli.backend.cleanupReport = new Backend.CleanupReport(false, List.of("removed /tmp/x"));
    return cli;
  }

  /** --verbose notes carry measured times ("teardown 0 ms; total 1 ms"): the two paths may differ there. */
  private static String untimed(String err) {
    return err.replaceAll("\\d+ ms", "N ms");
  }
}
