package dev.sandboxkit.lifecycle.internal.vm.bubblewrap;

import dev.sandboxkit.lifecycle.FailurePhase;
import dev.sandboxkit.lifecycle.SandboxException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Root host: one workload uid per sandbox, taken from a reserved range so that concurrent and
 * successive sandboxes never share one (keyrings, per-uid process counts, file ownership; taken round
 * robin, so a uid comes back only after the whole range was used). The
 * registry is a root-only folder of the host ({@link #DEFAULT_REGISTRY}, on /run: emptied at boot)
 * with one file per uid in use holding the run folder that took it; taking and releasing are
 * serialised across processes by a lock file. A uid whose run folder no longer exists (the run was
 * torn down, or a crashed run was reconciled or cleaned up) is free again: that is how a crash is
 * reconciled. The workload's gid is the shared {@link BubblewrapDriver#SANDBOX_GID}, the group a
 * user grants read-write folders to.
 */
final class SandboxUids {
  /** The first uid of the range: above the usual user and container ranges, below 2^31. */
  static final long BASE = 1_900_000_000L;
  /** How many sandboxes can run at once on one host. */
  static final int COUNT = 65_536;
  static final Path DEFAULT_REGISTRY = Path.of("/run/sandboxkit/uids");
  private static final String LOCK = ".lock";
  private static final Object JVM_LOCK = new Object(); // FileLock is per JVM: threads queue here

  private final Path registry;
  private final long base;
  private final int count;

  SandboxUids(Path registry, long base, int count) {
    this.registry = registry;
    this.base = base;
    this.count = count;
  }

  static SandboxUids host() {
    return new SandboxUids(DEFAULT_REGISTRY, BASE, COUNT);
  }

  /** Whether {@code uid} is one of the range's (any sandbox's workload). */
  static boolean inRange(long uid) {
    return uid >= BASE && uid < BASE + COUNT;
  }

  /** One uid held by one run until {@link #close()}. */
  record Lease(long uid, Path file, String owner) implements AutoCloseable {
    /** Frees the uid (only while this run still holds it). Never throws. */
    @Override
    public void close() {
      try {
        if (owner.equals(Files.readString(file, StandardCharsets.UTF_8))) {
          Files.deleteIfExists(file);
        }
      } catch (IOException e) {
        // gone already, or unreadable: a later run sees the run folder gone and takes it
      }
    }
  }

  /**
   * Takes a free uid for the run whose folder is {@code runDir}.
   *
   * @throws SandboxException LAUNCH_FAILED when the registry cannot be used or every uid is in use
   */
  Lease acquire(Path runDir) throws SandboxException {
    String owner = runDir.toAbsolutePath().normalize().toString();
    synchronized (JVM_LOCK) {
      try {
        Files.createDirectories(registry);
        Files.setPosixFilePermissions(registry, PosixFilePermissions.fromString("rwx------"));
        try (FileChannel ch = FileChannel.open(registry.resolve(LOCK), StandardOpenOption.CREATE,
            StandardOpenOption.READ, StandardOpenOption.WRITE); FileLock l = ch.lock()) {
          int start = next(ch); // round robin: successive sandboxes get other uids too, until it wraps
          for (int i = 0; i < count; i++) {
            int slot = (start + i) % count;
            long uid = base + slot;
            Path f = registry.resolve(Long.toString(uid));
            if (take(f, owner)) {
              ch.truncate(0).write(ByteBuffer.wrap(Integer.toString((slot + 1) % count).getBytes(StandardCharsets.US_ASCII)), 0);
              return new Lease(uid, f, owner);
            }
          }
        }
      } catch (IOException | UnsupportedOperationException e) {
        throw new SandboxException(FailurePhase.LAUNCH_FAILED,
            "cannot take a workload uid for the sandbox from " + registry, String.valueOf(e)
                + "; the bubblewrap driver on a root host needs a writable " + registry, e);
      }
    }
    throw new SandboxException(FailurePhase.LAUNCH_FAILED,
        "every workload uid of the range " + base + "-" + (base + count - 1) + " is in use (" + count
            + " sandboxes)", "end sandboxes that are no longer needed, or run `sandboxkit cleanup`");
  }

  /** The slot to try first, kept in the lock file (0 when it holds nothing usable). */
  private int next(FileChannel ch) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(16);
    ch.read(b, 0);
    try {
      return Math.floorMod(Integer.parseInt(new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).trim()),
          count);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Claims {@code f} when it is free or its run folder is gone (under the registry lock). */
  private static boolean take(Path f, String owner) throws IOException {
    try {
      Files.writeString(f, owner, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      return true;
    } catch (FileAlreadyExistsException e) {
      String holder;
      try {
        holder = Files.readString(f, StandardCharsets.UTF_8);
      } catch (NoSuchFileException gone) {
        return take(f, owner);
      }
      if (holder.isEmpty() || !Files.isDirectory(Path.of(holder))) {
        Files.writeString(f, owner, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE); // the holder's run is gone: reconciled here
        return true;
      }
      return false;
    }
  }
}
