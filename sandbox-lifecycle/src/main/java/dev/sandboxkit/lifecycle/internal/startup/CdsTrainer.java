package dev.sandboxkit.lifecycle.internal.startup;

import dev.sandboxkit.lifecycle.internal.vm.DriverSpi;
import dev.sandboxkit.auth.Nonce;
import dev.sandboxkit.auth.NonceException;
import dev.sandboxkit.auth.NonceFile;
import dev.sandboxkit.lifecycle.SandboxException;
import dev.sandboxkit.lifecycle.internal.LogTail;
import dev.sandboxkit.lifecycle.internal.bridge.Deadline;
import dev.sandboxkit.lifecycle.internal.bridge.ExecOutcome;
import dev.sandboxkit.lifecycle.internal.bridge.GuestConnection;
import dev.sandboxkit.lifecycle.internal.bridge.ExecCall;
import dev.sandboxkit.lifecycle.internal.bridge.UnixPathAlias;
import dev.sandboxkit.lifecycle.internal.rendezvous.RendezvousAddress;
import dev.sandboxkit.lifecycle.internal.rendezvous.RendezvousWaiter;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Builds a guest class-data archive in a dedicated training sandbox, never in a user's run (a
 * workload could tamper with a writable dump folder and poison every later agent).
 *
 * <p>The training sandbox is a user's sandbox without mapped folders and without network, plus a
 * writable dump folder and {@code -XX:ArchiveClassesAtExit}. The host drives one real session over
 * the bridge (connect, exec {@code true}, close), so the classes of the exec path are archived too;
 * the agent then exits by itself with 0, which dumps the archive, and bwrap exits. The host copies
 * the dump into its own file, checks it in a second sandbox ({@link GuestCds.Verify}) and publishes
 * it. Everything runs under one deadline; on any failure what was started is killed and the scratch
 * folder removed. A host killed mid-training takes the sandbox with it (bwrap's
 * {@code --die-with-parent} and the agent's stdin lifeline, as in a user's run).
 *
 * <p>The sandboxes come from the driver ({@link GuestSandbox}): this class knows the archive's
 * steps, the driver knows how to start a sandbox.
 */
public final class CdsTrainer {
  static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(60);
  static final String DEFAULT_SCRIPT = "true";
  static final String LOG_FILE = "training.log";
  private static final Duration VERIFY_CAP = Duration.ofSeconds(30);
  private static final int TAIL_BYTES = 2048;
  private final Duration deadline;
  private final String script;

  public CdsTrainer() {
    this(DEFAULT_DEADLINE, DEFAULT_SCRIPT);
  }

  /**
   * @param deadline the whole training's budget (sandbox, session, dump, check)
   * @param script the command the training session runs (tests make it fail)
   */
  public CdsTrainer(Duration deadline, String script) {
    this.deadline = deadline;
    this.script = script;
  }

  /** What failed, for the warning and the failure note. */
  public static final class TrainingFailed extends Exception {
    private static final long serialVersionUID = 1L;
    final String logTail;

    public TrainingFailed(String message, String logTail) {
      super(message, null, false, false);
      this.logTail = logTail == null ? "" : logTail;
    }
  }

  /**
   * Trains, checks and publishes the archive for {@code key}.
   *
   * @param guest the guest and its sandboxes (the driver's)
   * @return the published archive
   * @param kind a class-data archive, or on Java 25+ an AOT cache ({@link ArchiveKind})
   * @throws TrainingFailed what failed, with the tail of the training log; nothing is left running
   */
  public Path train(GuestSandbox guest, CdsStore store, String key, ArchiveKind kind) throws TrainingFailed {
    Deadline until = Deadline.after(deadline);
    Path work;
    try {
      store.removeStaleTrainingDirs();
      work = store.newTrainingDir();
    } catch (IOException e) {
      throw new TrainingFailed("cannot create a training folder in " + store.dir() + ": " + e.getMessage(), "");
    }
    Path log = work.resolve(LOG_FILE);
    try {
      Path dumpDir = Files.createDirectory(work.resolve("cds"), ownerOnlyDir());
      Path rendezvous = Files.createDirectory(work.resolve("rendezvous"), ownerOnlyDir());
      Nonce nonce = Nonce.generate();
      NonceFile.write(rendezvous, nonce);
      if (guest.root()) {
        guest.handToSandbox(rendezvous);
        guest.handToSandbox(dumpDir);
      }
      session(guest, guest.command(rendezvous, new GuestCds.Train(dumpDir, kind)), rendezvous, nonce, log, until);
      Path dump = dumpDir.resolve(Path.of(GuestCds.INSIDE_DUMP).getFileName());
      Path staged = stage(dump, work.resolve("guest.jsa"), log);
      verify(guest, guest.command(rendezvous, new GuestCds.Verify(staged, kind)), log, until);
      return store.publish(staged, key);
    } catch (IOException | NonceException e) {
      throw new TrainingFailed("the training folder " + work + " could not be prepared or published: " + e, tail(log));
    } finally {
      CdsStore.deleteTree(work);
    }
  }

  /** The training sandbox: start, one session, close, wait for the agent's own exit 0 (which dumps). */
  private void session(GuestSandbox guest, List<String> command, Path rendezvous, Nonce nonce, Path log, Deadline until)
      throws TrainingFailed {
    Process p = start(command, ProcessBuilder.Redirect.PIPE, log);
    OutputStream lifeline = p.getOutputStream(); // held open: EOF would make the agent exit without dumping
    try {
      RendezvousAddress address;
      try {
        address = new RendezvousWaiter(Duration.ofMillis(100), remaining(until)).await(rendezvous,
            DriverSpi.Transport.UNIX, () -> p.isAlive() ? DriverSpi.Liveness.ALIVE
                : new DriverSpi.Liveness(false, "bwrap exited with status " + p.exitValue()));
      } catch (SandboxException e) {
        throw new TrainingFailed("the training agent did not come up: " + e.getMessage(), tail(log));
      }
      try (UnixPathAlias alias = UnixPathAlias.of(address.resolve(rendezvous));
          GuestConnection conn = GuestConnection.open(alias.address(), nonce, remaining(until))) {
        long timeoutMs = Math.max(1, remaining(until).toMillis() - 2_000);
        ExecOutcome o = new ExecCall(64 * 1024, Duration.ofSeconds(1), Duration.ofSeconds(1))
            .execute(conn, UUID.randomUUID().toString(), script, "", timeoutMs, null, null, null);
        if (o.kind() != ExecOutcome.Kind.EXITED || o.exitCode() != 0) {
          throw new TrainingFailed("the training command ended with " + o.kind() + " exit code " + o.exitCode()
              + (o.errorMessage().isEmpty() ? "" : ": " + o.errorMessage()), tail(log));
        }
      } catch (IOException e) {
        throw new TrainingFailed("the training session failed: " + e.getMessage(), tail(log));
      }
      // Control closed: the agent exits by itself (System.exit dumps the archive), then bwrap.
      int code = await(p, until, "the training sandbox did not exit by itself after the session", log);
      if (code != 0) {
        throw new TrainingFailed("the training sandbox exited with status " + code, tail(log));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TrainingFailed("interrupted while training", tail(log));
    } finally {
      guest.kill(p, command);
      try {
        lifeline.close();
      } catch (IOException e) {
        // bwrap is gone
      }
    }
  }

  /** The check sandbox: the guest JVM must start with the archive strictly and exit 0. */
  private void verify(GuestSandbox guest, List<String> command, Path log, Deadline until) throws TrainingFailed {
    Process p = start(command, ProcessBuilder.Redirect.from(new File("/dev/null")), log);
    try {
      Deadline cap = Deadline.after(VERIFY_CAP).min(until);
      int code = await(p, cap, "the archive check did not finish", log);
      if (code != 0) {
        throw new TrainingFailed("the archive failed its check: the guest JVM with -Xshare:on"
            + " -XX:+VerifySharedSpaces exited with status " + code, tail(log));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TrainingFailed("interrupted while checking the archive", tail(log));
    } finally {
      guest.kill(p, command);
    }
  }

  /** Copies the dump (a regular file, never through a link) into a host-owned file, 0444, synced. */
  private static Path stage(Path dump, Path staged, Path log) throws TrainingFailed, IOException {
    if (!Files.isRegularFile(dump, LinkOption.NOFOLLOW_LINKS) || Files.size(dump) == 0) {
      throw new TrainingFailed("the training agent exited with 0 but dumped no archive (" + dump
          + " is missing or empty)", tail(log));
    }
    try (InputStream in = Files.newInputStream(dump, LinkOption.NOFOLLOW_LINKS);
        FileChannel out = FileChannel.open(staged, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      in.transferTo(java.nio.channels.Channels.newOutputStream(out));
      out.force(true);
    }
    Files.setPosixFilePermissions(staged, PosixFilePermissions.fromString("r--r--r--"));
    return staged;
  }

  private static Process start(List<String> command, ProcessBuilder.Redirect stdin, Path log) throws TrainingFailed {
    try {
      return new ProcessBuilder(command).redirectInput(stdin).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    } catch (IOException e) {
      throw new TrainingFailed("could not start bwrap: " + e.getMessage(), "");
    }
  }

  private static int await(Process p, Deadline until, String what, Path log)
      throws InterruptedException, TrainingFailed {
    if (!p.waitFor(until.remainingMillis(), TimeUnit.MILLISECONDS)) {
      throw new TrainingFailed(what + " within the training deadline", tail(log));
    }
    return p.exitValue();
  }

  private static Duration remaining(Deadline until) {
    return Duration.ofMillis(until.remainingMillis());
  }

  /** The last 2 KiB of the training log (bwrap's errors and the agent's log), or "" when there is none. */
  static String tail(Path log) {
    try {
      return LogTail.read(log, TAIL_BYTES);
    } catch (IOException e) {
      return "";
    }
  }


  private static java.nio.file.attribute.FileAttribute<?> ownerOnlyDir() {
    return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
  }

  /** For the failure note: the reason plus the log tail. */
  static String note(TrainingFailed e) {
    return e.getMessage() + (e.logTail.isEmpty() ? "" : "\n--- training log (tail) ---\n" + e.logTail + "\n");
  }
}
