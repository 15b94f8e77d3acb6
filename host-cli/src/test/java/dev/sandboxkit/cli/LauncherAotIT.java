package dev.sandboxkit.cli;

import static dev.sandboxkit.cli.Asserts.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The launcher's AOT cache on Java 25+ (issue 16.1): the first run records, the launcher creates
 * {@code cli-<key>.aot} (0444) instead of the class-data archive, the next run maps it; a corrupt
 * cache only costs speed; a runtime below 25 and {@code SANDBOXKIT_NO_AOT=1} keep the CDS archive.
 * Runs on the test JVM's runtime when it is 25+ (the newest-LTS CI pass), else on
 * {@link #JAVA_25} when that is installed.
 */
@EnabledOnOs(OS.LINUX)
@Timeout(300)
class LauncherAotIT {
  static final Path JAVA_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

  private LauncherCheckout co;

  @BeforeEach
  void setUp() throws IOException {
    co = new LauncherCheckout();
  }

  @AfterEach
  void tearDown() {
    co.delete();
  }

  @Test
  void aRunBuildsTheAotCacheAndTheNextRunMapsIt() throws Exception {
    Map<String, String> java25 = Map.of("JAVA_HOME", java25().toString());
    CliProcess.Result first = co.launcher(java25, "run", "--", "echo", "hi");
    assertEquals(0, first.exit(), first.stderr());
    assertEquals("hi\n", first.stdout(), "the recording JVM's own line stays off stdout");
    assertEquals("", first.stderr(), "and its warnings off stderr");
    List<Path> caches = co.files("cli-*.aot");
    assertEquals(1, caches.size(), "one AOT cache: " + co.files("*"));
    Path cache = caches.get(0);
    assertTrue(Files.size(cache) > 1_000_000, "a real cache: " + cache);
    assertEquals("r--r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(cache)));
    assertEquals(List.of(), co.files("cli-*.jsa"), "no class-data archive on this runtime");
    assertEquals(List.of(), co.files("*.tmp.*"), "no scratch files left (the configuration included)");

    Path log = co.cli.tmp.resolve("class-load.txt");
    CliProcess.Result second = co.launcher(Map.of("JAVA_HOME", java25().toString(), "SANDBOXKIT_JAVA_OPTS",
        "-Djava.io.tmpdir=" + co.cli.tmp + " -Xlog:class+load=info:file=" + log), "run", "--", "echo", "again");
    assertEquals(0, second.exit(), second.stderr());
    assertEquals("again\n", second.stdout());
    assertEquals("", second.stderr());
    assertContains(Files.readString(log), "dev.sandboxkit.cli.Main source: shared objects file",
        "dev.sandboxkit.lifecycle.internal.session.LiveSession source: shared objects file");
    assertEquals(List.of(cache), co.files("cli-*.aot"), "the run created nothing new");
  }

  /** A cache that is cut short or garbage (not ours to produce: someone wrote it) is skipped silently. */
  @Test
  void aCorruptOrTruncatedCacheFallsBackWithoutFailingTheRun() throws Exception {
    Map<String, String> java25 = Map.of("JAVA_HOME", java25().toString());
    assertEquals(0, co.launcher(java25, "run", "--", "true").exit());
    Path cache = co.files("cli-*.aot").get(0);
    byte[] whole = Files.readAllBytes(cache);
    Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rw-------"));
    for (byte[] bad : List.of(java.util.Arrays.copyOf(whole, whole.length / 3), garbage(100_000))) {
      Files.write(cache, bad);
      CliProcess.Result r = co.launcher(java25, "run", "--", "echo", "ok");
      assertEquals(0, r.exit(), r.stderr());
      assertEquals("ok\n", r.stdout());
      assertEquals("", r.stderr(), "the JVM's complaint about the cache stays out of the user's stderr");
    }
    Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("---------"));
    Assumptions.assumeFalse("root".equals(System.getProperty("user.name")), "root reads a mode-000 file");
    CliProcess.Result r = co.launcher(java25, "run", "--", "echo", "ok");
    assertEquals(0, r.exit(), r.stderr());
    assertEquals("ok\n", r.stdout());
  }

  /** The switch and the options that choose an archive themselves keep the class-data archive. */
  @Test
  void noAotAndArchiveOptionsKeepTheClassDataArchive() throws Exception {
    CliProcess.Result r = co.launcher(Map.of("JAVA_HOME", java25().toString(), "SANDBOXKIT_NO_AOT", "1"),
        "run", "--", "true");
    assertEquals(0, r.exit(), r.stderr());
    assertEquals(1, co.files("cli-*.jsa").size(), co.files("*").toString());
    assertEquals(List.of(), co.files("cli-*.aot"));

    CliProcess.Result own = co.launcher(Map.of("JAVA_HOME", java25().toString(),
        "SANDBOXKIT_JAVA_OPTS", "-Djava.io.tmpdir=" + co.cli.tmp + " -Xshare:off"), "run", "--", "true");
    assertEquals(0, own.exit(), own.stderr());
    assertEquals(List.of(), co.files("cli-*.aot"), "-Xshare:off given: no AOT cache either");
  }

  /** Below Java 25 the launcher trains the class-data archive, as before. */
  @Test
  void aRuntimeBelow25GetsTheClassDataArchive() throws Exception {
    Path home = Path.of(System.getProperty("java.home"));
    Assumptions.assumeTrue(Runtime.version().feature() < 25,
        "this test JVM runs Java " + Runtime.version().feature() + "; the baseline pass (Java 17) checks this");
    CliProcess.Result r = co.launcher(Map.of("JAVA_HOME", home.toString()), "run", "--", "true");
    assertEquals(0, r.exit(), r.stderr());
    assertEquals(1, co.files("cli-*.jsa").size(), co.files("*").toString());
    assertEquals(List.of(), co.files("cli-*.aot"));
  }

  /**
   * The recording run hides the JVM's own output (it prints a line to stdout at exit); a JVM that does
   * not start at all still says why.
   */
  @Test
  void aJvmThatDoesNotStartWhileRecordingStillSaysWhy() throws Exception {
    CliProcess.Result r = co.launcher(Map.of("JAVA_HOME", java25().toString(),
        "SANDBOXKIT_JAVA_OPTS", "-Djava.io.tmpdir=" + co.cli.tmp + " -Xmx1k"), "run", "--", "true");
    assertEquals(1, r.exit(), r.stdout() + r.stderr());
    assertContains(r.stderr(), "sandboxkit: the Java runtime did not start", "Too small maximum heap");
    assertEquals(List.of(), co.files("cli-*.aot"));
    assertEquals(List.of(), co.files("*.tmp.*"));
  }

  /** This JVM's runtime when it is 25+, else /usr/lib/jvm/temurin-25-jdk-amd64; skips without one. */
  static Path java25() {
    if (Runtime.version().feature() >= 25) {
      return Path.of(System.getProperty("java.home"));
    }
    Optional<Path> home = Files.isExecutable(JAVA_25.resolve("bin/java")) ? Optional.of(JAVA_25) : Optional.empty();
    Assumptions.assumeTrue(home.isPresent(), "no Java 25 runtime: neither this JVM (Java "
        + Runtime.version().feature() + ") nor " + JAVA_25 + "; install one to test the AOT cache");
    return home.get();
  }

  private static byte[] garbage(int n) {
    byte[] b = new byte[n];
    new java.util.Random(42).nextBytes(b);
    return b;
  }
}
