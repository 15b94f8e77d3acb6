package dev.sandboxkit.cli.session;

import dev.sandboxkit.lifecycle.internal.controlplane.OwnerOnly;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Starts a session's daemon detached: {@code setsid} gives it a session and process group of its
 * own (the caller's Ctrl-C and terminal hang-up never reach it), the secret goes on its stdin
 * (never argv or the environment), stdout and stderr append to the owner-only daemon.log. Then
 * waits until its {@code daemon.json} says ready; every way that wait can end without a ready
 * daemon stops the spawned one (B1).
 */
public final class DaemonLauncher {
  /** How long {@code start} waits for the sandbox to come up by default. */
  public static final Duration READY_DEADLINE = Duration.ofSeconds(120);
  private static final Duration STOP_GRACE = Duration.ofSeconds(15);
  private static final System.Logger LOG = System.getLogger(DaemonLauncher.class.getName());

  private DaemonLauncher() {}

  /** The command line: this JVM's java and class path, the CLI's main class, the hidden verb. */
  static List<String> command(SessionStore store, String id) {
    List<String> cmd = new ArrayList<>();
    if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
      cmd.add("/usr/bin/setsid");
    } else if (Files.isExecutable(Path.of("/bin/setsid"))) {
      cmd.add("/bin/setsid");
    }
    cmd.add(ProcessHandle.current().info().command().orElse(
        Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-XX:-UsePerfData");
    cmd.add("-Xshare:auto");
    for (String k : System.getProperties().stringPropertyNames()) {
      if ((k.startsWith("sandboxkit.") && !k.equals("sandboxkit.cli.cds.record")) || k.equals("java.io.tmpdir")) {
        cmd.add("-D" + k + "=" + System.getProperty(k));
      }
    }
    cmd.add("-cp");
    cmd.add(privateClassPath(store, System.getProperty("java.class.path")));
    cmd.add("dev.sandboxkit.cli.Main");
    cmd.add(DaemonMain.VERB);
    cmd.add("--root");
    cmd.add(store.root().toString());
    cmd.add("--id");
    cmd.add(id);
    return cmd;
  }

  /**
   * The daemon lives longer than the jar it was started from stays the same: the launcher rebuilds
   * {@code sandboxkit.jar} in place when a source changes, and a JVM reading classes from a jar
   * rewritten under it fails with NoClassDefFoundError, here in the middle of its sandbox's
   * teardown (found by hand: STOP after a rebuild left the daemon unable to close its sandbox). So
   * the daemon runs from its own copy, {@code <root>/jars/cli-<size>-<mtime>.jar}, made once per
   * build (temp file, then an atomic rename; owner-only). Copies of other builds are deleted: a
   * daemon that uses one keeps its open file, which the system frees when it exits. A class path
   * that is not a single jar (the tests' classes folders) is used as it is.
   */
  static String privateClassPath(SessionStore store, String classPath) {
    Path jar = Path.of(classPath);
    if (classPath.contains(java.io.File.pathSeparator) || !classPath.endsWith(".jar") || !Files.isRegularFile(jar)) {
      return classPath;
    }
    try {
      long size = Files.size(jar);
      long mtime = Files.getLastModifiedTime(jar).toMillis();
      Path dir = store.root().resolve("jars");
      OwnerOnly.ensureDirectory(dir);
      String name = "cli-" + size + "-" + mtime + ".jar";
      Path copy = dir.resolve(name);
      if (!Files.isRegularFile(copy, java.nio.file.LinkOption.NOFOLLOW_LINKS) || Files.size(copy) != size) {
        Path tmp = Files.createTempFile(dir, "cli-", ".tmp");
        try {
          Files.copy(jar, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
          Files.move(tmp, copy, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
              java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } finally {
          Files.deleteIfExists(tmp);
        }
      }
      try (java.nio.file.DirectoryStream<Path> old = Files.newDirectoryStream(dir)) {
        for (Path p : old) {
          String f = p.getFileName().toString();
          if (f.endsWith(".jar") && !f.equals(name)) { // never another start's .tmp being written
            Files.deleteIfExists(p);
          }
        }
      }
      return copy.toString();
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "the daemon runs from " + jar + " itself (a private copy failed: "
          + e.getMessage() + "); do not rebuild sandboxkit while this sandbox runs");
      return classPath;
    }
  }

  /** Spawns the daemon of session {@code id} and hands it the secret. */
  public static Process spawn(SessionStore store, String id, String secret) throws SessionException {
    Path log = store.log(id);
    Process p;
    try {
      try {
        OwnerOnly.createFile(log);
      } catch (FileAlreadyExistsException e) {
        OwnerOnly.verifyOwner(log);
      }
      ProcessBuilder pb = new ProcessBuilder(command(store, id))
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
      p = pb.start();
    } catch (IOException e) {
      throw new SessionException(SessionException.Kind.DAEMON, "cannot start the sandbox's daemon: "
          + e.getMessage(), "check that Java can be started from " + System.getProperty("java.home"), e);
    }
    try (OutputStream in = p.getOutputStream()) {
      in.write((secret + "\n").getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      stop(p);
      throw new SessionException(SessionException.Kind.DAEMON, "cannot hand the daemon its secret: "
          + e.getMessage(), "see " + log, e);
    }
    return p;
  }

  /**
   * Waits until the daemon is ready. On failure (it exited, it never got ready, the wait was
   * interrupted, anything thrown) the spawned daemon is stopped before this returns.
   */
  public static DaemonInfo awaitReady(SessionStore store, String id, Process p, Duration deadline)
      throws SessionException {
    boolean ok = false;
    try {
      long end = System.nanoTime() + deadline.toNanos();
      long sleepMs = 2;
      while (true) {
        Optional<DaemonInfo> info = store.daemon(id);
        if (info.isPresent() && info.get().pid() == p.pid() && info.get().ready()) {
          ok = true;
          return info.get();
        }
        if (!p.isAlive()) {
          String why = info.filter(i -> i.pid() == p.pid() && !i.teardown().isEmpty())
              .map(DaemonInfo::teardown).orElse("the daemon exited with code " + p.exitValue());
          throw new SessionException(SessionException.Kind.DAEMON, why, "see " + store.log(id)
              + (tail(store.log(id)).isEmpty() ? "" : ": " + tail(store.log(id))));
        }
        if (System.nanoTime() > end) {
          throw new SessionException(SessionException.Kind.DAEMON, "the sandbox did not become ready within "
              + deadline.toSeconds() + " s", "see " + store.log(id) + "; run 'sandboxkit doctor'");
        }
        if (p.waitFor(sleepMs, TimeUnit.MILLISECONDS)) {
          continue;
        }
        sleepMs = Math.min(20, sleepMs * 2);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SessionException(SessionException.Kind.DAEMON, "interrupted while the sandbox started",
          "run 'sandboxkit ls' and 'sandboxkit cleanup'", e);
    } finally {
      if (!ok) {
        stop(p);
      }
    }
  }

  /** SIGTERM (the daemon closes its sandbox), then SIGKILL after a grace (its sandbox dies with it). */
  public static void stop(Process p) {
    p.destroy();
    try {
      if (!p.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        p.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** The last line of the daemon's log that says something (for error messages). */
  static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      for (int i = lines.size() - 1; i >= 0; i--) {
        String l = lines.get(i).strip();
        if (!l.isEmpty()) {
          return l.length() > 300 ? l.substring(0, 300) + "..." : l;
        }
      }
    } catch (IOException e) {
      // no log
    }
    return "";
  }
}
