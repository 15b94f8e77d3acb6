package dev.sandboxkit.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Runs the built {@code sandboxkit.jar} (or the launcher script) as a real process, with its own
 * {@code java.io.tmpdir} so each test sees only its own run dirs. Paths come from failsafe.
 */
final class CliProcess {
  static final Path CLI_JAR = Path.of(required("sandboxkit.it.cliJar"));
  static final Path GUEST_JAR = Path.of(required("sandboxkit.it.guestJar"));
  static final Path LAUNCHER = Path.of(required("sandboxkit.it.launcher"));
  static final Path WORK = Path.of(required("sandboxkit.it.workDir"));
  static final Duration DEADLINE = Duration.ofSeconds(120);

  /** This test's temp root: the child JVM's java.io.tmpdir (run dirs under sandboxkit/oneshot). */
  final Path tmp;

  CliProcess() throws IOException {
    assertTrue(Files.isRegularFile(CLI_JAR), "the CLI jar is built: " + CLI_JAR);
    assertTrue(Files.isRegularFile(GUEST_JAR), "the guest jar is built: " + GUEST_JAR);
    // Short: the guest's Unix socket lives under <tmp>/sandboxkit-<user>/oneshot/<uuid>/rendezvous
    // and a socket path is limited to 107 bytes.
    tmp = Files.createDirectories(Path.of("/tmp", "skit-" + UUID.randomUUID().toString().substring(0, 8)));
    Files.createDirectories(WORK);
  }

  /** Run dirs under the child's state roots ({@code <tmp>/sandboxkit*}{@code /oneshot/*}). */
  List<Path> runDirs() throws IOException {
    List<Path> dirs = new ArrayList<>();
    try (var tops = Files.list(tmp)) {
      for (Path top : tops.filter(t -> t.getFileName().toString().startsWith("sandboxkit")).toList()) {
        Path root = top.resolve("oneshot");
        if (Files.isDirectory(root)) {
          try (var s = Files.list(root)) {
            s.filter(Files::isDirectory).forEach(dirs::add);
          }
        }
      }
    }
    return dirs;
  }

  /** Removes this test's temp root (best effort). */
  void delete() {
    try (var walk = Files.walk(tmp)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | RuntimeException e) {
      // best effort: a leftover in /tmp must not fail the test
    }
  }

  record Result(int exit, String stdout, String stderr) {}

  /**
   * A prefix that resets SIGINT to its default and execs the rest in place (same pid). Tests that
   * send Ctrl-C need it: when the suite itself runs in a non-interactive shell's background job (a
   * CI script's {@code &}, {@code nohup}), SIGINT is ignored from the start, every child inherits
   * that, and the JVM rightly keeps an inherited ignore, so the signal would never arrive. A shell
   * resets it for a terminal's foreground job; {@code env --default-signal} (coreutils 8.31+) does here.
   */
  static final List<String> DEFAULT_SIGINT = List.of("env", "--default-signal=INT");

  List<String> javaCommand(String... args) {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
        "-Djava.io.tmpdir=" + tmp,
        "-Dsandboxkit.guest.jar=" + GUEST_JAR,
        "-jar", CLI_JAR.toString()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  Result run(String... args) throws Exception {
    return exec(javaCommand(args), null, Map.of());
  }

  Result runWithStdin(byte[] stdin, String... args) throws Exception {
    return exec(javaCommand(args), stdin, Map.of());
  }

  /**
   * Starts without waiting; stdout/stderr go to files. SIGINT starts at its default action, as in a
   * terminal's foreground job ({@link #DEFAULT_SIGINT}), so a test can send Ctrl-C.
   */
  Process start(Path out, Path err, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(DEFAULT_SIGINT);
    cmd.addAll(javaCommand(args));
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(out.toFile())
        .redirectError(err.toFile());
    return pb.start();
  }

  Result exec(List<String> cmd, byte[] stdin, Map<String, String> env) throws Exception {
    return exec(cmd, stdin, env, null);
  }

  /** Runs {@code cmd} in {@code dir} (null: this process's current directory). */
  Result exec(List<String> cmd, byte[] stdin, Map<String, String> env, Path dir) throws Exception {
    Path in = tmp.resolve("stdin-" + UUID.randomUUID());
    Files.write(in, stdin == null ? new byte[0] : stdin);
    Path out = tmp.resolve("stdout-" + UUID.randomUUID());
    Path err = tmp.resolve("stderr-" + UUID.randomUUID());
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .redirectInput(in.toFile())
        .redirectOutput(out.toFile())
        .redirectError(err.toFile());
    if (dir != null) {
      pb.directory(dir.toFile());
    }
    pb.environment().putAll(env);
    Process p = pb.start();
    try {
      if (!p.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
        fail("no exit within " + DEADLINE + ": " + cmd + "\nstderr: " + Files.readString(err));
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }

  private static String required(String property) {
    String v = System.getProperty(property);
    if (v == null || v.isBlank()) {
      throw new IllegalStateException("system property " + property + " is not set: run the *IT "
          + "tests through maven-failsafe (mvn verify)");
    }
    return v;
  }
}
