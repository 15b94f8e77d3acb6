package dev.sandboxkit.lifecycle.internal.vm.bubblewrap;

import dev.sandboxkit.lifecycle.FailurePhase;
import dev.sandboxkit.lifecycle.SandboxException;
import dev.sandboxkit.lifecycle.internal.controlplane.VmProcId;
import dev.sandboxkit.lifecycle.internal.vm.DriverSpi;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One bwrap sandbox. Its stdout/stderr (bwrap's and the agent's log) go to {@code sandbox.log}.
 *
 * <p>Its stdin is the <em>lifeline</em>: a pipe whose write end only this JVM holds (the JDK closes
 * every other descriptor in the processes it spawns, so no other child inherits it) and keeps open,
 * unwritten, until {@link #close()} after teardown. bwrap and setpriv pass stdin through to the guest
 * agent, which runs with {@code --lifeline stdin}: end of file there means this JVM is gone, even
 * when it died before bwrap armed its own parent-death signal, and the agent kills its job's tree and
 * exits, which ends the sandbox.
 */
final class BubblewrapInstance implements DriverSpi.Instance {
  static final String LOG_FILE = "sandbox.log";
  private static final int TAIL_BYTES = 4096;
  private static final long CHILD_WAIT_MS = 2_000;

  private final List<String> command;
  private final Path log;
  private volatile Process process;
  /** The write end of bwrap's stdin; held (strongly, so no cleaner closes it) until {@link #close()}. */
  private volatile OutputStream lifeline;
  /** True once the proof holds bwrap's child: then teardown kills it, and no clone can be left behind. */
  private volatile boolean childProven;

  /** The run's cgroup (limits), removed by {@link #close()}. */
  private final Optional<RunCgroup> cgroup;
  /** Root host: the workload's uid, freed by {@link #close()} once the sandbox is gone. */
  private final Optional<SandboxUids.Lease> uid;
  private final boolean rendezvousInside;
  /** bwrap's first child, the sandbox's init (its mount namespace is the sandbox's); 0 until known. */
  private volatile long initPid;

  BubblewrapInstance(List<String> command, Path runDir) {
    this(command, runDir, Optional.empty());
  }

  BubblewrapInstance(List<String> command, Path runDir, Optional<RunCgroup> cgroup) {
    this(command, runDir, cgroup, Optional.empty());
  }

  BubblewrapInstance(List<String> command, Path runDir, Optional<RunCgroup> cgroup,
      Optional<SandboxUids.Lease> uid) {
    this(command, runDir, cgroup, uid, false);
  }

  /**
   * @param rendezvousInside the rendezvous folder is the sandbox's own tmpfs ({@link
   *     Containment#nonceFd}), read by the host through {@link #rendezvousView}
   */
  BubblewrapInstance(List<String> command, Path runDir, Optional<RunCgroup> cgroup,
      Optional<SandboxUids.Lease> uid, boolean rendezvousInside) {
    this.command = List.copyOf(command);
    this.log = runDir.resolve(LOG_FILE);
    this.cgroup = cgroup;
    this.uid = uid;
    this.rendezvousInside = rendezvousInside;
  }

  Optional<RunCgroup> cgroup() {
    return cgroup;
  }

  List<String> command() {
    return command;
  }

  @Override
  public void launch() throws SandboxException {
    ProcessBuilder pb = new ProcessBuilder(command)
        .redirectInput(ProcessBuilder.Redirect.PIPE) // the lifeline: see the class comment
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    try {
      Process p = pb.start();
      lifeline = p.getOutputStream();
      process = p;
    } catch (IOException e) {
      throw new SandboxException(FailurePhase.LAUNCH_FAILED, "could not start bwrap", e.getMessage(), e);
    }
  }

  /** bwrap is the only thing launch() starts: if spawning it failed, nothing runs. */
  @Override
  public boolean mayHaveStarted() {
    return process != null;
  }

  /** The bwrap process and its first child (the pid-namespace init): killing it ends the whole tree. */
  @Override
  public List<VmProcId> captureProof() throws SandboxException {
    Process p = process;
    if (p == null) {
      return List.of();
    }
    List<VmProcId> proof = new ArrayList<>();
    VmProcId.of(p.toHandle()).ifPresent(proof::add);
    long deadline = System.nanoTime() + CHILD_WAIT_MS * 1_000_000;
    while (p.isAlive() && System.nanoTime() - deadline < 0) {
      Optional<ProcessHandle> child = p.toHandle().children().findFirst();
      if (child.isPresent()) {
        VmProcId.of(child.get()).ifPresent(proof::add);
        childProven = proof.size() == 2;
        initPid = child.get().pid();
        break;
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return proof;
  }

  /**
   * The sandbox's rendezvous tmpfs seen from the host: {@code /proc/<init>/root/opt/sandboxkit/rendezvous}
   * (root, or the owner of the sandbox's user namespace, may look there). Waits, at most {@link
   * #CHILD_WAIT_MS}, until bwrap has switched the init's root to the sandbox's, so that nothing of the
   * host's own {@code /opt} is ever read as the guest's. A planted link in that folder would be resolved
   * from the host's root: the host connects only to what is a socket itself ({@code
   * GuestConnection}).
   */
  @Override
  public Path rendezvousView(Path hostDir) throws SandboxException {
    if (!rendezvousInside) {
      return hostDir;
    }
    Process p = process;
    long pid = initPid;
    if (pid <= 0 && p != null) {
      pid = p.toHandle().children().findFirst().map(ProcessHandle::pid).orElse(0L);
    }
    if (pid <= 0) {
      throw new SandboxException(FailurePhase.LAUNCH_FAILED,
          "bwrap started no sandbox, so its rendezvous folder cannot be reached", liveness().diagnostics());
    }
    Path root = Path.of("/proc", Long.toString(pid), "root");
    awaitOwnRoot(root, p);
    return root.resolve(BwrapCommand.INSIDE_RENDEZVOUS.substring(1));
  }

  /** Until {@code root} is no longer the host's root, bwrap has exited, or {@link #CHILD_WAIT_MS}. */
  static void awaitOwnRoot(Path root, Process bwrap) throws SandboxException {
    long deadline = System.nanoTime() + CHILD_WAIT_MS * 1_000_000;
    try {
      Object host = Files.readAttributes(Path.of("/"), BasicFileAttributes.class).fileKey();
      while (host != null && host.equals(Files.readAttributes(root, BasicFileAttributes.class).fileKey())
          && bwrap != null && bwrap.isAlive() && System.nanoTime() - deadline < 0) {
        Thread.sleep(1);
      }
    } catch (IOException e) {
      if (bwrap != null && !bwrap.isAlive()) {
        return; // the sandbox is gone: the rendezvous wait reports why, with bwrap's log
      }
      throw new SandboxException(FailurePhase.LAUNCH_FAILED,
          "cannot reach the sandbox's rendezvous folder through " + root + ": " + e.getMessage(),
          "the host must be root or own the sandbox's user namespace; is /proc mounted with hidepid?", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SandboxException(FailurePhase.LAUNCH_FAILED, "interrupted while waiting for the sandbox's root",
          "the run was cancelled");
    }
  }

  @Override
  public long oomKills() {
    return cgroup.map(RunCgroup::oomKills).orElse(0L);
  }

  @Override
  public DriverSpi.Liveness liveness() {
    Process p = process;
    if (p == null) {
      return new DriverSpi.Liveness(false, "bwrap was not started");
    }
    if (p.isAlive()) {
      return DriverSpi.Liveness.ALIVE;
    }
    String oom = cgroup.filter(RunCgroup::oomKilled).isPresent() ? " (the sandbox reached its memory limit)" : "";
    return new DriverSpi.Liveness(false, "bwrap exited with status " + p.exitValue() + oom + "; log tail: "
        + tail());
  }

  /** The last 4 KiB of sandbox.log (bwrap's errors and the agent's log). */
  String tail() {
    try {
      String s = readTail(log, TAIL_BYTES);
      return s.isEmpty() ? "(empty)" : s;
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** The last {@code bytes} bytes of {@code file} as stripped UTF-8 text. */
  static String readTail(Path file, int bytes) throws IOException {
    return dev.sandboxkit.lifecycle.internal.LogTail.read(file, bytes);
  }

  /** When bwrap exits (killed, or its child the agent died): {@code action} on the JDK's reaper thread. */
  @Override
  public void onExit(Runnable action) {
    Process p = process;
    if (p != null) {
      p.onExit().thenRun(action);
    }
  }

  Optional<Process> process() {
    return Optional.ofNullable(process);
  }

  /**
   * Called after teardown: cuts the lifeline. The guard has killed the tree by then; should anything
   * of the sandbox have survived, the agent sees end of file and exits, which ends the sandbox.
   */
  @Override
  public void close() {
    Process p = process;
    if (p != null && !childProven && !p.isAlive()) {
      // bwrap is gone but its child was never seen: it may have been cloned just before bwrap was
      // killed or failed, and wait forever for it (CloneOrphans). Only then is /proc scanned.
      CloneOrphans.kill(LaunchWrapper.unwrap(command), 2_000); // bwrap's own argv, as its clone has it
    }
    OutputStream l = lifeline;
    lifeline = null;
    if (l != null) {
      try {
        l.close();
      } catch (IOException e) {
        // the process is gone and the JDK closed it already
      }
    }
    cgroup.ifPresent(RunCgroup::remove); // empty by now: the sandbox and any orphan are gone
    if (p != null && p.isAlive() && uid.isPresent()) {
      try { // killed by the teardown just now: let the JDK see it exit (bounded) before the uid is freed
        p.waitFor(CHILD_WAIT_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (p == null || !p.isAlive()) { // no process of it is left: the next sandbox may take the uid
      uid.ifPresent(SandboxUids.Lease::close); // (else it is free once the run folder is reconciled)
    }
  }
}
