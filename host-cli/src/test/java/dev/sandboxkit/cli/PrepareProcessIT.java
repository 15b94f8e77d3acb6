package dev.sandboxkit.cli;

import static dev.sandboxkit.cli.Asserts.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** {@code sandboxkit prepare} as a real process on real bwrap, with an empty archive folder of its own. */
@EnabledOnOs(OS.LINUX)
@Timeout(300)
class PrepareProcessIT {
  private CliProcess cli;
  private Path cds;

  @BeforeEach
  void setUp() throws Exception {
    cli = new CliProcess();
    cds = cli.tmp.resolve("cache/cds"); // does not exist yet
  }

  @AfterEach
  void tearDown() {
    cli.delete();
  }

  /** The CLI with its archive folder at {@link #cds} and {@code jvmArgs} before {@code -jar}. */
  private CliProcess.Result prepare(Map<String, String> env, List<String> jvmArgs, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(cli.javaCommand(args));
    int jar = cmd.indexOf("-jar"); // after the harness's own -D options: the last one wins
    cmd.addAll(jar, jvmArgs);
    cmd.add(jar, "-Dsandboxkit.cds.dir=" + cds);
    return cli.exec(cmd, null, env);
  }

  private List<Path> archives() throws Exception {
    if (!Files.isDirectory(cds)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(cds)) {
      return s.filter(p -> p.getFileName().toString().matches("guest-[0-9a-f]+-[0-9]+\\.jsa")).sorted().toList();
    }
  }

  @Test
  void prepareBuildsTheArchiveOnceThenSaysItIsThereAndARunUsesIt() throws Exception {
    CliProcess.Result first = prepare(Map.of(), List.of(), "prepare");
    assertEquals(0, first.exit(), first.stdout() + first.stderr());
    List<Path> built = archives();
    assertEquals(1, built.size(), "one archive in the empty folder: " + built);
    assertTrue(first.stdout().matches("built the guest's class-data archive in [0-9]+\\.[0-9] s \\(bubblewrap\\): "
        + java.util.regex.Pattern.quote(built.get(0).toString()) + "\n"), first.stdout());
    assertEquals("", first.stderr(), "one line on stdout, nothing else (stderr is not a terminal)");
    assertEquals(List.of(), cli.runDirs(), "no run dir: prepare runs no user sandbox");
    FileTime mtime = Files.getLastModifiedTime(built.get(0));

    CliProcess.Result second = prepare(Map.of(), List.of(), "prepare", "--driver", "bubblewrap");
    assertEquals(0, second.exit(), second.stderr());
    assertEquals("the guest's class-data archive is already built (bubblewrap): " + built.get(0) + "\n",
        second.stdout());
    assertEquals(mtime, Files.getLastModifiedTime(built.get(0)), "not built again");

    CliProcess.Result run = prepare(Map.of(), List.of(), "run", "--", "echo", "hi");
    assertEquals(0, run.exit(), run.stderr());
    assertEquals("hi\n", run.stdout());
    assertEquals(built, archives());
    assertEquals(mtime, Files.getLastModifiedTime(built.get(0)), "the run trained nothing");
  }

  @Test
  void withArchivesOffThereIsNothingToPrepare() throws Exception {
    CliProcess.Result r = prepare(Map.of("SANDBOXKIT_NO_CDS", "1"), List.of(), "prepare");
    assertEquals(0, r.exit(), r.stderr());
    assertTrue(r.stdout().startsWith("nothing to prepare (bubblewrap): class-data archives are off: "), r.stdout());
    assertFalse(Files.exists(cds), "nothing created");
  }

  @Test
  void aGuestJarThatIsNotThereIsExit125WithOneLine() throws Exception {
    Path missing = cli.tmp.resolve("no/sandboxkit-guest.jar");
    CliProcess.Result r = prepare(Map.of(), List.of("-Dsandboxkit.guest.jar=" + missing), "prepare");
    assertEquals(125, r.exit(), r.stdout() + r.stderr());
    assertEquals("", r.stdout());
    assertTrue(r.stderr().startsWith("sandboxkit: the guest agent jar sandboxkit-guest.jar was not found: "),
        r.stderr());
    assertEquals(1, r.stderr().lines().count(), r.stderr());
    assertFalse(Files.exists(cds));
    CliProcess.Result verbose = prepare(Map.of(), List.of("-Dsandboxkit.guest.jar=" + missing), "prepare", "-v");
    assertEquals(125, verbose.exit());
    assertContains(verbose.stderr(), "sandboxkit.guest.jar=" + missing + " (no such file)");
  }

  /** {@code start} trains in its daemon: the daemon's log says so (a session has no progress line). */
  @Test
  void aSessionStartWithAnEmptyCacheSaysInItsLogThatItTrains() throws Exception {
    CliProcess.Result start = prepare(Map.of(), List.of(), "start");
    assertEquals(0, start.exit(), start.stderr());
    String id = start.stdout().strip();
    try {
      Path log;
      try (Stream<Path> s = Files.list(cli.tmp)) {
        log = s.filter(p -> p.getFileName().toString().startsWith("sandboxkit")).findFirst().orElseThrow()
            .resolve("sessions").resolve(id).resolve("daemon.log");
      }
      String text = Files.readString(log);
      int training = text.indexOf("training the guest's class-data archive first");
      int built = text.indexOf("the guest's class-data archive is built");
      assertTrue(training >= 0 && built > training, text);
      assertEquals(1, archives().size(), "the daemon trained into the folder it was given");
    } finally {
      CliProcess.Result stop = prepare(Map.of(), List.of(), "stop", id);
      assertEquals(0, stop.exit(), stop.stderr());
    }
  }
}
