package dev.sandboxkit.cli;

import static dev.sandboxkit.cli.Asserts.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code --here}, relative {@code --cwd} and the environment options (issue 13.4, 13.5). */
class FirstHourOptionsTest {
  private final Cli cli = new Cli();
  private static final String PWD = Path.of("").toAbsolutePath().normalize().toString();

  private FakeBackend.Run onlyRun() {
    assertEquals(1, cli.backend.runs.size(), "runs");
    return cli.backend.runs.get(0);
  }

  @Test
  void hereMapsTheCurrentFolderReadWriteAndStartsInIt() {
    assertEquals(0, cli.execute("run", "--here", "--", "true"), cli.err());
    FakeBackend.Run r = onlyRun();
    assertEquals(PWD, r.workingDirectory());
    assertTrue(r.policy().readWritePaths().contains(Path.of(PWD)), r.policy().toString());
  }

  @Test
  void hereWithCwdStartsInTheCwd() {
    assertEquals(0, cli.execute("run", "--here", "--cwd", "src", "--", "true"), cli.err());
    assertEquals(PWD + "/src", onlyRun().workingDirectory());
  }

  @Test
  void aRelativeCwdResolvesLikeARelativeMapping() {
    assertEquals(0, cli.execute("run", "--ro", "src", "--cwd", "src", "--", "true"), cli.err());
    FakeBackend.Run r = onlyRun();
    assertEquals(PWD + "/src", r.workingDirectory());
    assertTrue(r.policy().readOnlyPaths().contains(Path.of(PWD, "src")));
  }

  @Test
  void anAbsoluteCwdIsASandboxPath() {
    assertEquals(0, cli.execute("run", "--cwd", "/tmp/../tmp", "--", "true"), cli.err());
    assertEquals("/tmp/../tmp", onlyRun().workingDirectory());
  }

  @Test
  void envAddsToTheHostDefaultsAndLaterWins() {
    Map<String, String> host = Map.of("TERM", "xterm", "LANG", "de_DE.UTF-8", "LC_ALL", "C",
        "SECRET", "s3cret", "HOME", "/root", "USER", "me");
    Map<String, String> env = EnvOptions.resolve(List.of("A=config", "B=config"),
        List.of("B=option", "TERM=dumb", "EMPTY="), List.of("USER"), host);
    assertEquals("option", env.get("B"));
    assertEquals("config", env.get("A"));
    assertEquals("dumb", env.get("TERM"));
    assertEquals("de_DE.UTF-8", env.get("LANG"));
    assertEquals("C", env.get("LC_ALL"));
    assertEquals("me", env.get("USER"));
    assertEquals("", env.get("EMPTY"));
    assertEquals(null, env.get("SECRET"), "nothing else of the host's environment");
    assertEquals(null, env.get("HOME"));
  }

  @Test
  void envRefusesWhatIsNotKeyValue() {
    CliException e = assertThrows(CliException.class,
        () -> EnvOptions.resolve(List.of(), List.of("NOVALUE"), List.of(), Map.of()));
    assertEquals(ExitCodes.SANDBOX_FAILED, e.exitCode());
    assertContains(e.line(), "--env 'NOVALUE' is not KEY=VALUE", "--env-pass NAME");
    assertThrows(CliException.class, () -> EnvOptions.resolve(List.of(), List.of("=v"), List.of(), Map.of()));
    assertThrows(CliException.class, () -> EnvOptions.resolve(List.of("x"), List.of(), List.of(), Map.of()));
    assertThrows(CliException.class,
        () -> EnvOptions.resolve(List.of(), List.of("A=a\0b"), List.of(), Map.of()));
  }

  @Test
  void envPassRefusesAnUnsetVariable() {
    CliException e = assertThrows(CliException.class,
        () -> EnvOptions.resolve(List.of(), List.of(), List.of("NOPE"), Map.of()));
    assertContains(e.line(), "--env-pass NOPE: the variable is not set on the host");
    assertThrows(CliException.class,
        () -> EnvOptions.resolve(List.of(), List.of(), List.of("A=B"), Map.of("A=B", "x")));
  }
}
