package dev.sandboxkit.cli;

import static dev.sandboxkit.cli.Asserts.assertContains;
import static dev.sandboxkit.cli.Asserts.assertNotContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The launcher's class-data sharing archive, in a copy of the checkout with its own cache folder:
 * a run trains it, later starts map it, a rebuilt jar gets a new one, and pruning removes only
 * stale cli-* files (never the guest's, never another checkout's fresh archive).
 */
@EnabledOnOs(OS.LINUX)
@Timeout(300)
class LauncherCdsIT {
  private static final Instant LONG_AGO = Instant.now().minus(Duration.ofDays(40));

  private LauncherCheckout co;
  private CliProcess cli;
  private Path jar;
  private Path cds;

  @BeforeEach
  void setUp() throws IOException {
    co = new LauncherCheckout();
    cli = co.cli;
    jar = co.jar;
    cds = co.cds;
  }

  @AfterEach
  void tearDown() {
    co.delete();
  }

  @Test
  void aRunTrainsTheArchiveLaterStartsMapItAndOnlyStaleFilesArePruned() throws Exception {
    Path oldArchive = stale(cds.resolve("cli-111.jsa"));
    Path oldKey = stale(cds.resolve("cli-_gone_checkout_host-cli_target_sandboxkit.jar__usr_bin_java.key"));
    Path otherCheckouts = Files.write(cds.resolve("cli-222.jsa"), new byte[] {1});
    Path killedDump = Files.write(cds.resolve("cli-333.jsa.tmp.4242"), new byte[] {1});
    Files.setLastModifiedTime(killedDump, FileTime.from(Instant.now().minus(Duration.ofDays(2))));
    // The guest's (pruned by its own rules, by mtime): not read for 40 days, but not ours to prune.
    Path guest = Files.write(cds.resolve("guest-0123456789abcdef-1.jsa"), new byte[] {1});
    Files.getFileAttributeView(guest, BasicFileAttributeView.class).setTimes(null, FileTime.from(LONG_AGO), null);

    CliProcess.Result version = launcher(Map.of(), "--version");
    assertEquals(0, version.exit(), version.stderr());
    assertContains(version.stdout(), "sandboxkit 0.1.0-SNAPSHOT");
    assertEquals(Set.of(oldArchive, otherCheckouts), cliArchives(), "only a run trains an archive");
    assertEquals(2, files("cli-*.key").size(), "this checkout's key is cached");

    CliProcess.Result first = launcher(Map.of(), "run", "--", "echo", "hi");
    assertEquals(0, first.exit(), first.stderr());
    assertEquals("hi\n", first.stdout());
    assertEquals("", first.stderr());
    Set<Path> archives = cliArchives();
    archives.remove(otherCheckouts);
    assertEquals(1, archives.size(), "one new archive; the stale one is pruned: " + archives);
    Path archive = archives.iterator().next();
    assertTrue(Files.size(archive) > 1_000_000, "a real archive: " + archive);
    assertFalse(Files.exists(oldArchive), "unused for 30 days: pruned");
    assertFalse(Files.exists(oldKey), "unused for 30 days: pruned");
    assertFalse(Files.exists(killedDump), "a killed dump's leftover: pruned");
    assertTrue(Files.exists(otherCheckouts), "another checkout's fresh archive stays");
    assertTrue(Files.exists(guest), "the guest's archives are not the launcher's to prune");
    assertEquals(List.of(), files("*.tmp.*"), "no scratch files left");

    // From another directory, through a relative path: the same checkout, the same archive.
    Path log = cli.tmp.resolve("class-load.txt");
    CliProcess.Result second = launcher(Map.of("SANDBOXKIT_JAVA_OPTS", "-Djava.io.tmpdir=" + cli.tmp
        + " -Xlog:class+load=info:file=" + log), cli.tmp, "checkout/sandboxkit", "run", "-q", "--", "echo", "again");
    assertEquals(0, second.exit(), second.stderr());
    assertEquals("again\n", second.stdout());
    String classes = Files.readString(log);
    assertContains(classes, "dev.sandboxkit.cli.Main source: shared objects file",
        "picocli.CommandLine source: shared objects file");
    assertEquals(Set.of(archive, otherCheckouts), cliArchives());

    // A rebuilt jar (new mtime) gets a new archive; the old one can never match it again.
    Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(5)));
    CliProcess.Result rebuilt = launcher(Map.of(), "run", "--", "true");
    assertEquals(0, rebuilt.exit(), rebuilt.stderr());
    Set<Path> after = cliArchives();
    assertFalse(after.contains(archive), "the previous build's archive is removed: " + after);
    assertTrue(after.contains(otherCheckouts));
    assertEquals(2, after.size(), after.toString());
  }

  /**
   * {@code prepare} (an image build) builds the guest's archive and the launcher's own, and the
   * launcher's holds the run path too (prepare runs {@code true} once while recording), so a later
   * run maps both and trains nothing.
   */
  @Test
  void prepareBuildsBothArchivesAndTheNextRunStartsFromThem() throws Exception {
    CliProcess.Result prepared = launcher(Map.of(), "prepare");
    assertEquals(0, prepared.exit(), prepared.stdout() + prepared.stderr());
    assertTrue(prepared.stdout().startsWith("built the guest's class-data archive in "), prepared.stdout());
    assertEquals(1, files("guest-*.jsa").size(), "the guest's archive: " + files("*"));
    Set<Path> archives = cliArchives();
    assertEquals(1, archives.size(), "the launcher's archive: " + files("*"));
    Path archive = archives.iterator().next();
    assertEquals(List.of(), files("*.tmp.*"), "no scratch files left");

    CliProcess.Result again = launcher(Map.of(), "prepare");
    assertEquals(0, again.exit(), again.stderr());
    assertTrue(again.stdout().startsWith("the guest's class-data archive is already built (bubblewrap): "),
        again.stdout());

    Path log = cli.tmp.resolve("class-load.txt");
    CliProcess.Result run = launcher(Map.of("SANDBOXKIT_JAVA_OPTS", "-Djava.io.tmpdir=" + cli.tmp
        + " -Xlog:class+load=info:file=" + log), "run", "-q", "--", "echo", "again");
    assertEquals(0, run.exit(), run.stderr());
    assertEquals("again\n", run.stdout());
    assertContains(Files.readString(log), "dev.sandboxkit.cli.Main source: shared objects file",
        "dev.sandboxkit.lifecycle.internal.session.LiveSession source: shared objects file");
    assertEquals(Set.of(archive), cliArchives(), "the run trained no archive of its own");
    assertEquals(1, files("guest-*.jsa").size());
  }

  @Test
  void aFailedRunTrainsNothingAndAnArchiveOfAnotherUserIsNeverMapped() throws Exception {
    CliProcess.Result usage = launcher(Map.of(), "run", "--bogus");
    assertEquals(125, usage.exit());
    assertEquals(Set.of(), cliArchives(), "a run that did not get to run the command trains nothing");
    assertEquals(List.of(), files("*.tmp.*"));

    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "chown needs root");
    assertEquals(0, launcher(Map.of(), "run", "--", "true").exit());
    Path archive = cliArchives().iterator().next();
    Files.setAttribute(archive, "unix:uid", 65534);
    Path log = cli.tmp.resolve("class-load.txt");
    CliProcess.Result r = launcher(Map.of("SANDBOXKIT_JAVA_OPTS", "-Djava.io.tmpdir=" + cli.tmp
        + " -Xlog:class+load=info:file=" + log), "run", "--", "echo", "ok");
    assertEquals(0, r.exit(), r.stderr());
    assertEquals("ok\n", r.stdout());
    assertNotContains(Files.readString(log), "dev.sandboxkit.cli.Main source: shared objects file");
    assertNotEquals(65534, Files.getAttribute(archive, "unix:uid"), "replaced by a fresh archive of ours");
  }

  /**
   * The launcher passes no module option (issue 16.5): {@code --enable-native-access} on the command
   * line turns off CDS's archived full module graph whenever the archive was not dumped with the same
   * option (the JDK's default archive: first runs, SANDBOXKIT_NO_CDS). The jar's manifest grants the
   * native access instead ({@code java -jar}, Java 22+). Where the runtime maps the full module graph
   * with the launcher's flags at all (Java 25 does; Java 17 only with G1), the launcher keeps it.
   */
  @Test
  void theManifestGrantsNativeAccessAndTheLauncherKeepsTheFullModuleGraph() throws Exception {
    try (java.util.jar.JarFile f = new java.util.jar.JarFile(jar.toFile())) {
      assertEquals("ALL-UNNAMED", f.getManifest().getMainAttributes().getValue("Enable-Native-Access"));
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    CliProcess.Result floor = cli.exec(List.of(java, "-XX:+UseSerialGC", "-Xshare:auto",
        "-Xlog:cds=info:stderr", "-version"), null, Map.of());
    Assumptions.assumeTrue(floor.stderr().contains("full module graph: enabled"),
        "this runtime maps no full module graph with SerialGC: " + Runtime.version());
    CliProcess.Result r = launcher(Map.of("SANDBOXKIT_NO_CDS", "1",
        "SANDBOXKIT_JAVA_OPTS", "-Djava.io.tmpdir=" + cli.tmp + " -Xlog:cds=info:stderr"), "--version");
    assertEquals(0, r.exit(), r.stderr());
    assertContains(r.stderr(), "full module graph: enabled");
  }

  /** The launcher on its CDS path whatever the runtime (Java 25+ takes the AOT cache: {@link LauncherAotIT}). */
  private CliProcess.Result launcher(Map<String, String> env, String... args) throws Exception {
    return co.launcher(cdsPath(env), args);
  }

  private CliProcess.Result launcher(Map<String, String> env, Path dir, String... cmd) throws Exception {
    return co.launcher(cdsPath(env), dir, cmd);
  }

  private static Map<String, String> cdsPath(Map<String, String> env) {
    Map<String, String> e = new HashMap<>(env);
    e.put("SANDBOXKIT_NO_AOT", "1");
    return e;
  }

  private Set<Path> cliArchives() throws IOException {
    return new TreeSet<>(files("cli-*.jsa"));
  }

  private List<Path> files(String glob) throws IOException {
    return co.files(glob);
  }

  /** A file last modified and last read 40 days ago. */
  private static Path stale(Path p) throws IOException {
    Files.write(p, new byte[] {1});
    FileTime t = FileTime.from(LONG_AGO);
    Files.getFileAttributeView(p, BasicFileAttributeView.class).setTimes(t, t, null);
    return p;
  }
}
