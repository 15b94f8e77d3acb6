package dev.sandboxkit.cli;

import static dev.sandboxkit.cli.Asserts.assertContains;
import static dev.sandboxkit.cli.Asserts.assertNotContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Issue 13.13: the first run's one-time archive build says what it is and how long it took, on a
 * terminal (util-linux {@code script} gives the CLI one), once; {@code -q} and a script's stderr
 * hear nothing.
 */
@EnabledOnOs(OS.LINUX)
@Timeout(240)
class FirstRunArchiveIT {
  private static final String NOTE = "sandboxkit: note: built the guest's class-data archive in ";
  private CliProcess cli;
  private Path cache;

  @BeforeEach
  void setUp() throws Exception {
    cli = new CliProcess();
    cache = cli.tmp.resolve("fresh-cache");
  }

  @AfterEach
  void tearDown() {
    cli.delete();
  }

  /** The CLI on a pseudo-terminal; returns what the terminal showed (stdout and stderr). */
  private CliProcess.Result onTerminal(String... args) throws Exception {
    String cmd = cli.javaCommand(args).stream().map(FirstRunArchiveIT::quote).collect(Collectors.joining(" "));
    return cli.exec(List.of("script", "-qec", cmd, "/dev/null"), null, Map.of("XDG_CACHE_HOME", cache.toString()));
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  private List<String> guestArchives() throws Exception {
    Path dir = cache.resolve("sandboxkit/cds");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("guest-") && n.endsWith(".jsa")).toList();
    }
  }

  @Test
  void theFirstRunSaysItBuiltTheArchiveAndLaterRunsDoNot() throws Exception {
    CliProcess.Result first = onTerminal("run", "--", "echo", "hi");
    assertEquals(0, first.exit(), first.stdout());
    assertContains(first.stdout(), NOTE, " s, once per guest jar and Java runtime", cache.toString());
    assertEquals(1, first.stdout().split(java.util.regex.Pattern.quote(NOTE), -1).length - 1, "one line");
    // while it trained (about 3 s), the progress line named the step (redrawn every 100 ms)
    assertContains(first.stdout(), "\rsandboxkit: starting bubblewrap sandbox (training class-data archive) ");
    assertEquals(1, guestArchives().size(), "an archive was built: " + guestArchives());
    CliProcess.Result second = onTerminal("run", "--", "echo", "hi");
    assertEquals(0, second.exit(), second.stdout());
    assertNotContains(second.stdout(), "class-data archive");
  }

  @Test
  void quietAndScriptsHearNothing() throws Exception {
    CliProcess.Result quiet = onTerminal("run", "-q", "--", "echo", "hi");
    assertEquals(0, quiet.exit(), quiet.stdout());
    assertNotContains(quiet.stdout(), "class-data archive");
    assertEquals(1, guestArchives().size(), "built all the same");
    Files.walk(cache).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    CliProcess.Result script = cli.exec(cli.javaCommand("run", "--", "echo", "hi"), null,
        Map.of("XDG_CACHE_HOME", cache.toString()));
    assertEquals(0, script.exit(), script.stderr());
    assertEquals("", script.stderr(), "a script's stderr gets no progress");
    assertTrue(guestArchives().size() == 1, "built all the same");
  }
}
