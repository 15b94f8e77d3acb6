package dev.sandboxkit.cli;

import static dev.sandboxkit.cli.Asserts.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** --help, --version and usage errors, with StringWriter out/err as picocli's docs suggest. */
class HelpAndUsageTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int execute(String... args) {
    CommandLine cl = SandboxkitCommand.newCommandLine(new FakeBackend(), Io.system());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return cl.execute(args);
  }

  @Test
  void topLevelHelpListsSubcommandsExitCodesAndExamples() {
    assertEquals(0, execute("--help"));
    assertContains(out.toString(), "run", "doctor", "cleanup", "Exit codes:", "124", "125", "126",
        "Examples:", "sandboxkit run -- echo hello");
  }

  @ParameterizedTest
  @ValueSource(strings = {"run", "doctor", "cleanup"})
  void everySubcommandHasHelpWithExamplesAndExitCodes(String sub) {
    assertEquals(0, execute(sub, "--help"));
    assertContains(out.toString(), "Usage:", "Examples:", "Exit codes:");
  }

  @Test
  void runHelpDocumentsOptionsConfigAndJson() {
    execute("run", "--help");
    assertContains(out.toString(), "--driver", "--rw", "--ro", "--deny", "--network", "--timeout",
        "--cwd", "--force-reclaim", "--json", "--quiet", "--verbose", "--config", "--config-base64",
        "\"windows_sandbox\" or \"vm\"", "bubblewrap", "\"failure_phase\"", "state-aware");
  }

  @Test
  void versionPrintsTheVersion() {
    assertEquals(0, execute("--version"));
    assertContains(out.toString(), "sandboxkit ", "Java ");
    assertEquals(0, execute("run", "--version"));
  }

  @Test
  void noSubcommandPrintsUsageToStderrAnd125() {
    assertEquals(125, execute());
    assertContains(err.toString(), "Usage: sandboxkit");
  }

  @Test
  void anUnknownSubcommandIs125WithASuggestion() {
    assertEquals(125, execute("runn"));
    assertContains(err.toString(), "sandboxkit: Unmatched argument at index 0: 'runn'",
        "Did you mean: sandboxkit run");
  }

  @Test
  void helpSubcommandWorks() {
    assertEquals(0, execute("help", "run"));
    assertContains(out.toString(), "Usage:");
  }
}
