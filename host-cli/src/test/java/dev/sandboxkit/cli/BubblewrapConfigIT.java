package dev.sandboxkit.cli;

import static dev.sandboxkit.cli.Asserts.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Issue 15.1/15.2: mxc configs with {@code "containment": "bubblewrap"} through {@code sandboxkit run
 * --config}, our own equivalents of mxc's bubblewrap test configs: a basic run, network block,
 * masking inside a mapping, most specific path wins, a symlinked denied path.
 */
@EnabledOnOs(OS.LINUX)
@Timeout(180)
class BubblewrapConfigIT {
  private CliProcess cli;
  private Path w;

  @BeforeEach
  void setUp() throws Exception {
    cli = new CliProcess();
    w = Files.createDirectories(cli.tmp.resolve("work")).toRealPath();
    Files.setPosixFilePermissions(w, PosixFilePermissions.fromString("rwxrwxrwx"));
    Files.setPosixFilePermissions(cli.tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @AfterEach
  void tearDown() {
    cli.delete();
  }

  Path write(String rel, String content) throws Exception {
    Path f = w.resolve(rel);
    Files.createDirectories(f.getParent());
    for (Path p = f.getParent(); !p.equals(w); p = p.getParent()) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxrwxrwx"));
    }
    Files.writeString(f, content);
    return f;
  }

  CliProcess.Result config(String body) throws Exception {
    Path f = cli.tmp.resolve("config.json");
    Files.writeString(f, "{\"version\":\"0.6.0-alpha\",\"containment\":\"bubblewrap\"," + body + "}");
    return cli.run("run", "--config", f.toString());
  }

  static String json(Path p) {
    return "\"" + p + "\"";
  }

  @Test
  void basicRun() throws Exception {
    CliProcess.Result r = config("\"process\":{\"commandLine\":\"echo Hello from bubblewrap; exit 3\",\"timeout\":60000}");
    assertEquals(3, r.exit(), r.stderr());
    assertEquals("Hello from bubblewrap\n", r.stdout());
  }

  @Test
  void processContainmentIsBubblewrapOnLinux() throws Exception {
    Path f = cli.tmp.resolve("p.json");
    Files.writeString(f, "{\"containment\":\"process\",\"process\":{\"commandLine\":\"echo ok\"}}");
    CliProcess.Result r = cli.run("run", "--config", f.toString());
    assertEquals(0, r.exit(), r.stderr());
    assertEquals("ok\n", r.stdout());
  }

  @Test
  void networkBlock() throws Exception {
    CliProcess.Result r = config("\"process\":{\"commandLine\":\"cat /proc/net/dev | tail -n +3 | cut -d: -f1 | tr -d ' '\"},"
        + "\"network\":{\"defaultPolicy\":\"block\"}");
    assertEquals(0, r.exit(), r.stderr());
    assertEquals("lo\n", r.stdout(), "only loopback");
  }

  @Test
  void maskingInsideAMapping() throws Exception {
    write("visible.txt", "visible");
    Path secretFile = write("secret.txt", "PRIVATE");
    write("secretdir/data.txt", "PRIVATE");
    CliProcess.Result r = config("\"process\":{\"commandLine\":\"cat " + w + "/visible.txt; echo; wc -c < " + secretFile
        + "; ls -A " + w + "/secretdir | wc -l\"},\"filesystem\":{\"readonlyPaths\":[" + json(w) + "],"
        + "\"deniedPaths\":[" + json(secretFile) + "," + json(w.resolve("secretdir")) + "]}");
    assertEquals(0, r.exit(), r.stderr());
    assertEquals("visible\n0\n0\n", r.stdout());
  }

  @Test
  void mostSpecificPathWins() throws Exception {
    write("private/hidden.txt", "PRIVATE");
    write("private/out/keep.txt", "kept");
    Path priv = w.resolve("private");
    CliProcess.Result r = config("\"process\":{\"commandLine\":\"test -e " + priv + "/hidden.txt || echo hidden; cat "
        + priv + "/out/keep.txt; echo; echo x > " + priv + "/out/new.txt && echo wrote; echo y > " + w
        + "/top.txt 2>/dev/null || echo top-read-only\"},\"filesystem\":{\"readonlyPaths\":[" + json(w) + "],"
        + "\"deniedPaths\":[" + json(priv) + "],\"readwritePaths\":[" + json(priv.resolve("out")) + "]}");
    assertEquals(0, r.exit(), r.stderr());
    assertEquals("hidden\nkept\nwrote\ntop-read-only\n", r.stdout());
  }

  @Test
  void symlinkedDeniedPathMasksItsTarget() throws Exception {
    Path target = write("real/token", "PRIVATE");
    Path link = Files.createSymbolicLink(w.resolve("token-link"), target);
    CliProcess.Result r = config("\"process\":{\"commandLine\":\"wc -c < " + target + "\"},"
        + "\"filesystem\":{\"readonlyPaths\":[" + json(w) + "],\"deniedPaths\":[" + json(link) + "]}");
    assertEquals(0, r.exit(), r.stderr());
    assertEquals("0\n", r.stdout());
  }

  @Test
  void whatCannotBeEnforcedIsRefusedWithItsPath() throws Exception {
    CliProcess.Result r = config("\"process\":{\"commandLine\":\"true\"},\"network\":{\"allowedHosts\":[\"example.com\"]}");
    assertEquals(125, r.exit(), r.stderr());
    assertContains(r.stderr(), "`network.allowedHosts`", "per-host network filtering");
  }
}
