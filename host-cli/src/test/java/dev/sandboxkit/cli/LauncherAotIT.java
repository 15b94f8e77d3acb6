package dev.sandboxkit.cli;

import static dev.sandboxkit.cli.Asserts.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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

  /**
   * The guest (on the host's runtime, Java 25 here) starts from its own AOT cache too: the first run
   * trains it in a training sandbox, the next run's guest JVM maps it with {@code -XX:AOTCache} in
   * place of {@code -Xshare:auto}; a cache damaged afterwards (same size) only costs speed.
   */
  @Test
  void theGuestStartsFromItsAotCacheAndADamagedOneOnlyCostsSpeed() throws Exception {
    Map<String, String> java25 = Map.of("JAVA_HOME", java25().toString());
    CliProcess.Result first = co.launcher(java25, "run", "--", "true");
    assertEquals(0, first.exit(), first.stderr());
    List<Path> guest = co.files("guest-*.jsa");
    assertEquals(1, guest.size(), co.files("*").toString());
    assertEquals(STATIC_ARCHIVE_MAGIC, magic(guest.get(0)),
        "an AOT cache is a static archive (a dynamic class-data archive has 0xf00baba8)");

    List<String> guestArgs = new ArrayList<>();
    List<String> cliArgs = new ArrayList<>();
    ProcessBuilder pb = new ProcessBuilder(co.checkout.resolve("sandboxkit").toString(), "run", "--", "sleep", "3")
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
    pb.environment().putAll(co.env(java25));
    Process p = pb.start();
    try {
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (guestArgs.isEmpty() && p.isAlive() && System.nanoTime() < until) {
        p.descendants().map(h -> h.info().arguments().orElse(new String[0])).map(List::of)
            .filter(a -> a.contains("/opt/sandboxkit/sandboxkit-guest.jar")).findFirst().ifPresent(guestArgs::addAll);
        p.info().arguments().map(List::of).ifPresent(a -> { cliArgs.clear(); cliArgs.addAll(a); });
        Thread.sleep(20);
      }
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the run did not end");
    } finally {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    assertEquals(0, p.exitValue());
    assertTrue(guestArgs.contains("-XX:AOTCache=/opt/sandboxkit/guest.jsa"), "the guest JVM: " + guestArgs);
    assertTrue(guestArgs.stream().noneMatch(a -> a.startsWith("-Xshare")), guestArgs.toString());
    assertTrue(cliArgs.stream().anyMatch(a -> a.startsWith("-XX:AOTCache=") && a.endsWith(".aot")),
        "the CLI JVM: " + cliArgs);

    Path cache = guest.get(0);
    Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rw-------"));
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(cache.toFile(), "rw")) {
      f.write(new byte[4096]); // the header, size unchanged: the store still offers it, the JVM refuses it
    }
    Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("r--r--r--"));
    CliProcess.Result damaged = co.launcher(java25, "run", "--", "echo", "ok");
    assertEquals(0, damaged.exit(), damaged.stderr());
    assertEquals("ok\n", damaged.stdout());
    assertEquals("", damaged.stderr());
    assertEquals(List.of(cache), co.files("guest-*.jsa"), "not trained over");
  }

  private static final int STATIC_ARCHIVE_MAGIC = 0xf00baba2;

  private static int magic(Path archive) throws IOException {
    try (java.io.InputStream in = Files.newInputStream(archive)) {
      byte[] b = in.readNBytes(4);
      return java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
    }
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
