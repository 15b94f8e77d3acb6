package dev.sandboxkit.lifecycle.internal.vm.bubblewrap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The processes bwrap cloned and that outlived it (issue 15.6).
 *
 * <p>bwrap clones its child (the sandbox's namespace init) before it has armed that child's
 * parent-death signal; with a user namespace the child then blocks on an eventfd until bwrap has
 * written its uid and gid maps. Kill bwrap (or let it fail) in that window and the child lives on
 * forever, reparented to pid 1, with no process of its own and nothing that will ever wake it: the
 * agent's stdin lifeline cannot help, the agent never started. Until it execs, the clone has bwrap's
 * exact command line, which holds this run's own folder (a fresh UUID or training folder), so a
 * process with byte-for-byte that command line is ours and nobody else's: {@link #kill} finds and
 * kills those. Killing the namespace init ends everything in its pid namespace.
 */
final class CloneOrphans {
  private static final java.time.Duration KILL_WAIT = java.time.Duration.ofSeconds(5);
  /** The logger, created on first use: the launch path never starts the logging backend. */
  private static final class Log {
    static final System.Logger LOG = System.getLogger(CloneOrphans.class.getName());
  }

  private CloneOrphans() {}

  /**
   * Kills a sandbox bwrap process {@code p} started from {@code command}: its tree (children first)
   * and bwrap, and reaps bwrap. When bwrap did not end well by itself (killed here, or failed), a
   * child it had just cloned may have missed both the enumeration and its parent-death signal:
   * {@link #kill(List, long)} finds it by bwrap's command line.
   */
  static void killSandbox(Process p, List<String> command) {
    boolean killed = p.isAlive();
    killTree(p);
    boolean failed = !p.isAlive() && p.exitValue() != 0;
    if (killed || failed) {
      List<Long> orphans = kill(command, KILL_WAIT.toMillis());
      if (!orphans.isEmpty()) {
        Log.LOG.log(System.Logger.Level.DEBUG, "killed {0} process(es) bwrap (pid {1}) cloned and left behind: {2}",
            orphans.size(), p.pid(), orphans);
      }
    }
  }

  /** Kills {@code p}'s tree (children first) and {@code p}, and reaps it. */
  static void killTree(Process p) {
    if (p.isAlive()) {
      List<ProcessHandle> tree = new ArrayList<>();
      p.toHandle().descendants().forEach(tree::add);
      tree.sort(java.util.Comparator.comparingLong(ProcessHandle::pid).reversed());
      tree.forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    try {
      if (!p.waitFor(KILL_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
        Log.LOG.log(System.Logger.Level.WARNING, "bwrap (pid {0}) did not die within {1} ms",
            p.pid(), KILL_WAIT.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The {@code /proc/PID/cmdline} bytes of a process started with {@code argv}. */
  static byte[] cmdline(List<String> argv) {
    StringBuilder b = new StringBuilder();
    for (String a : argv) {
      b.append(a).append('\0');
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The pids (other than this JVM's) whose command line is exactly {@code argv}. Linux only; empty elsewhere. */
  static List<Long> find(List<String> argv) {
    byte[] want = cmdline(argv);
    long self = ProcessHandle.current().pid();
    List<Long> found = new ArrayList<>();
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> isPid(p.getFileName().toString()))) {
      for (Path p : procs) {
        long pid = Long.parseLong(p.getFileName().toString());
        if (pid == self) {
          continue;
        }
        try {
          if (Arrays.equals(want, Files.readAllBytes(p.resolve("cmdline")))) {
            found.add(pid);
          }
        } catch (IOException | SecurityException e) {
          // gone meanwhile, or not ours to read (then not ours to kill either)
        }
      }
    } catch (IOException | SecurityException e) {
      return List.of();
    }
    return found;
  }

  /**
   * Kills (SIGKILL) every process whose command line is exactly {@code argv}, and waits up to
   * {@code waitMillis} for them to die (a zombie counts as dead).
   *
   * @return the pids it killed
   */
  static List<Long> kill(List<String> argv, long waitMillis) {
    List<Long> pids = find(argv);
    for (long pid : pids) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
    long deadline = System.nanoTime() + waitMillis * 1_000_000;
    for (long pid : pids) {
      while (alive(pid) && System.nanoTime() - deadline < 0) {
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return pids;
        }
      }
    }
    return pids;
  }

  private static boolean alive(long pid) {
    Optional<ProcessHandle> h = ProcessHandle.of(pid);
    return h.isPresent() && h.get().isAlive()
        && !dev.sandboxkit.lifecycle.internal.controlplane.ProcState.exited(pid);
  }

  private static boolean isPid(String name) {
    if (name.isEmpty() || name.length() > 10) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      if (name.charAt(i) < '0' || name.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }
}
