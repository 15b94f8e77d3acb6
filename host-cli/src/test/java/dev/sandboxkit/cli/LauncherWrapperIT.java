package dev.sandboxkit.cli;

import static dev.sandboxkit.cli.Asserts.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Issue 13, fewer prerequisites: the launcher builds with the checkout's {@code ./mvnw} (Maven on
 * PATH only without one, or when {@code SANDBOXKIT_MVN} names it). A copy of the launcher in a scratch checkout whose {@code mvnw} is a stand-in that
 * records its arguments and "builds" by copying this build's jars (the real wrapper is checked by
 * building with it: see the report of issue 13 / .mvn/wrapper).
 */
@EnabledOnOs(OS.LINUX)
@Timeout(120)
class LauncherWrapperIT {
  private CliProcess cli;
  private Path checkout;
  private Path bin;

  @BeforeEach
  void setUp() throws Exception {
    cli = new CliProcess();
    checkout = cli.tmp.resolve("checkout");
    Files.createDirectories(checkout);
    Files.copy(CliProcess.LAUNCHER, checkout.resolve("sandboxkit"));
    bin = cli.tmp.resolve("bin"); // a PATH without mvn: only what the build path needs
    Files.createDirectories(bin);
    Files.createSymbolicLink(bin.resolve("find"), Path.of("/usr/bin/find"));
  }

  @AfterEach
  void tearDown() {
    cli.delete();
  }

  private CliProcess.Result launch(String... args) throws Exception {
    return launch(Map.of(), args);
  }

  private CliProcess.Result launch(Map<String, String> extra, String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("/bin/bash", checkout.resolve("sandboxkit").toString()));
    cmd.addAll(List.of(args));
    Map<String, String> env = new java.util.HashMap<>(Map.of("PATH", bin.toString(),
        "JAVA_HOME", System.getProperty("java.home"), "SANDBOXKIT_NO_CDS", "1",
        "CLI_JAR", CliProcess.CLI_JAR.toString(), "GUEST_JAR", CliProcess.GUEST_JAR.toString()));
    env.putAll(extra);
    return cli.exec(cmd, null, env, checkout);
  }

  /** A stand-in Maven that records its name and arguments and "builds" by copying this build's jars. */
  private static void fakeMaven(Path file) throws Exception {
    Files.writeString(file, "#!/bin/bash\n"
        + "echo \"${0##*/} $*\" > \"$PWD/mvn-args\"\n"
        + "/bin/mkdir -p host-cli/target guest-agent/target\n"
        + "/bin/cp \"$CLI_JAR\" host-cli/target/sandboxkit.jar\n"
        + "/bin/cp \"$GUEST_JAR\" guest-agent/target/sandboxkit-guest.jar\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
  }

  @Test
  void theWrapperBuildsEvenWithMavenOnPath() throws Exception {
    fakeMaven(checkout.resolve("mvnw"));
    fakeMaven(bin.resolve("mvn"));
    CliProcess.Result r = launch("--version");
    assertEquals(0, r.exit(), r.stderr());
    assertEquals("mvnw -q -B -ntp -Dsk.build.dir=target -DskipTests package\n",
        Files.readString(checkout.resolve("mvn-args")));
  }

  @Test
  void sandboxkitMvnPicksAnotherMaven() throws Exception {
    fakeMaven(checkout.resolve("mvnw"));
    fakeMaven(bin.resolve("mvn"));
    CliProcess.Result r = launch(Map.of("SANDBOXKIT_MVN", "mvn"), "--version");
    assertEquals(0, r.exit(), r.stderr());
    assertEquals("sandboxkit: building the jars (mvn -q -B -ntp -DskipTests package) ...\n", r.stderr());
    assertEquals("mvn -q -B -ntp -Dsk.build.dir=target -DskipTests package\n",
        Files.readString(checkout.resolve("mvn-args")));
  }

  @Test
  void withoutAWrapperMavenOnPathBuilds() throws Exception {
    fakeMaven(bin.resolve("mvn"));
    CliProcess.Result r = launch("--version");
    assertEquals(0, r.exit(), r.stderr());
    assertEquals("mvn -q -B -ntp -Dsk.build.dir=target -DskipTests package\n",
        Files.readString(checkout.resolve("mvn-args")));
  }

  @Test
  void withoutMavenOnPathTheWrapperBuilds() throws Exception {
    fakeMaven(checkout.resolve("mvnw"));
    CliProcess.Result r = launch("--version");
    assertEquals(0, r.exit(), r.stderr());
    assertContains(r.stdout(), "sandboxkit 0.1.0");
    assertEquals("sandboxkit: building the jars (mvnw -q -B -ntp -DskipTests package) ...\n", r.stderr());
    assertEquals("mvnw -q -B -ntp -Dsk.build.dir=target -DskipTests package\n",
        Files.readString(checkout.resolve("mvn-args")));
  }

  @Test
  void withoutMavenOrWrapperItSaysWhatToInstall() throws Exception {
    CliProcess.Result r = launch("--version");
    assertEquals(125, r.exit());
    assertEquals("sandboxkit: Maven is needed to build the jars on first use and " + checkout
        + "/mvnw is missing: install Maven (apt-get install maven) and retry\n", r.stderr());
  }
}
