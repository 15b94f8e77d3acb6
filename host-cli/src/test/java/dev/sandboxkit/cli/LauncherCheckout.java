package dev.sandboxkit.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A copy of the checkout (launcher script + built jars) with its own cache folder, for the tests of
 * the launcher's class-data archive and AOT cache ({@link LauncherCdsIT}, {@link LauncherAotIT}).
 */
final class LauncherCheckout {
  static final String BUILD_DIR = "target-it";

  final CliProcess cli;
  final Path checkout;
  final Path jar;
  final Path cds;

  LauncherCheckout() throws IOException {
    cli = new CliProcess();
    checkout = cli.tmp.resolve("checkout");
    jar = checkout.resolve("host-cli/" + BUILD_DIR + "/sandboxkit.jar");
    Path guestJar = checkout.resolve("guest-agent/" + BUILD_DIR + "/sandboxkit-guest.jar");
    Files.createDirectories(jar.getParent());
    Files.createDirectories(guestJar.getParent());
    Files.copy(CliProcess.CLI_JAR, jar);
    Files.copy(CliProcess.GUEST_JAR, guestJar);
    Files.copy(CliProcess.LAUNCHER, checkout.resolve("sandboxkit"), StandardCopyOption.COPY_ATTRIBUTES);
    cds = Files.createDirectories(cli.tmp.resolve("cache/sandboxkit/cds"));
    Files.setPosixFilePermissions(cds, PosixFilePermissions.fromString("rwx------"));
  }

  void delete() {
    cli.delete();
  }

  /** Runs {@code ./sandboxkit ARGS} with {@link #env} plus {@code env}. */
  CliProcess.Result launcher(Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(checkout.resolve("sandboxkit").toString()));
    cmd.addAll(List.of(args));
    return cli.exec(cmd, null, env(env), null);
  }

  /** Runs {@code cmd} in {@code dir} with {@link #env} plus {@code env}. */
  CliProcess.Result launcher(Map<String, String> env, Path dir, String... cmd) throws Exception {
    return cli.exec(List.of(cmd), null, env(env), dir);
  }

  /**
   * The launcher's environment: the copied jars, no build, this test JVM's runtime (the newest-LTS CI
   * pass runs it on Java 25), the private cache folder; {@code extra} wins.
   */
  Map<String, String> env(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(Map.of(
        "SANDBOXKIT_BUILD_DIR", BUILD_DIR,
        "SANDBOXKIT_NO_BUILD", "1",
        "JAVA_HOME", System.getProperty("java.home"),
        "XDG_CACHE_HOME", cli.tmp.resolve("cache").toString(),
        "SANDBOXKIT_JAVA_OPTS", "-Djava.io.tmpdir=" + cli.tmp));
    env.putAll(extra);
    return env;
  }

  /** The cache folder's files matching {@code glob}, sorted. */
  List<Path> files(String glob) throws IOException {
    try (Stream<Path> s = Files.list(cds)) {
      var matcher = cds.getFileSystem().getPathMatcher("glob:" + glob);
      return s.filter(p -> matcher.matches(p.getFileName())).sorted().toList();
    }
  }
}
