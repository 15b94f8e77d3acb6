package dev.sandboxkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.lifecycle.ExecutionRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The options built in code (Specs) bind to the commands' fields as annotated fields did. */
class OptionBindingTest {
  private final Cli cli = new Cli();

  private FakeBackend.Run onlyRun() {
    assertEquals(1, cli.backend.runs.size(), "runs");
    return cli.backend.runs.get(0);
  }

  @Test
  void repeatedOptionsCollectEveryValueInOrder(@TempDir Path dir) throws Exception {
    Path a = Files.createDirectory(dir.resolve("a"));
    Path b = Files.createDirectory(dir.resolve("b"));
    Path c = Files.createDirectory(dir.resolve("c"));
    assertEquals(0, cli.execute("run", "--rw", a.toString(), "--rw=" + b.toString(), "--ro", c.toString(),
        "--deny", "/etc/shadow", "--deny", "/etc/gshadow", "--", "true"));
    assertEquals(List.of(a, b), onlyRun().policy().readWritePaths());
    assertEquals(List.of(c), onlyRun().policy().readOnlyPaths());
    assertEquals(List.of(Path.of("/etc/shadow"), Path.of("/etc/gshadow")), onlyRun().policy().deniedPaths());
  }

  @Test
  void unsetOptionsKeepTheirDefaults() {
    assertEquals(0, cli.execute("run", "--", "echo", "x"));
    FakeBackend.Run r = onlyRun();
    assertTrue(r.policy().readWritePaths().isEmpty());
    assertTrue(r.policy().readOnlyPaths().isEmpty());
    assertTrue(r.policy().deniedPaths().isEmpty());
    assertEquals(Optional.empty(), r.timeout());
    assertEquals(List.of(false), cli.backend.forceReclaims);
    assertEquals("echo x", r.commandLine());
  }

  @Test
  void theConverterParsesTimeoutAndTheBuiltInOneParsesPaths(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("request.json");
    Files.writeString(config, "{\"containment\":\"windows_sandbox\","
        + "\"process\":{\"commandLine\":\"echo from-config\",\"timeout\":0}}");
    assertEquals(0, cli.execute("run", "--timeout=90s", "--config", config.toString()), cli.err());
    assertEquals("echo from-config", onlyRun().commandLine());
    assertEquals(Optional.of(Duration.ofSeconds(90)), onlyRun().timeout());
  }

  @Test
  void eachCommandLineStartsFromFreshValues() {
    assertEquals(0, cli.execute("run", "--json", "-q", "--", "true"));
    Cli again = new Cli();
    assertEquals(0, again.execute("run", "--", "true"));
    assertEquals("", again.out(), "no JSON object: --json of the first command line did not leak");
  }

  @Test
  void bindingAFieldThatDoesNotExistFailsAtOnceNamingIt() {
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> Specs.option(new CleanupCommand(new FakeBackend()), "nosuch", "--nosuch"));
    assertEquals("dev.sandboxkit.cli.CleanupCommand has no field nosuch", e.getMessage());
  }

  @Test
  void cleanupAndDoctorFlagsBind() {
    assertEquals(0, cli.execute("cleanup", "--driver", "bubblewrap", "--force-reclaim", "-v"));
    assertEquals(List.of("bubblewrap force"), cli.backend.cleanups);
    Cli doctor = new Cli();
    doctor.backend.reports = List.of(new Backend.DriverReport("bubblewrap", true,
        List.of(new dev.sandboxkit.lifecycle.SandboxDriver.Check("bwrap installed", true, "/usr/bin/bwrap", ""))));
    assertEquals(0, doctor.execute("doctor", "--json"));
    assertTrue(doctor.out().startsWith("{\"default_driver\":\"bubblewrap\",\"ready\":true,"), doctor.out());
  }
}
