package dev.sandboxkit.auth;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.AclEntryPermission;
import java.nio.file.attribute.AclEntryType;
import java.nio.file.attribute.AclFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;

/**
 * {@code nonce.bin}: how the host hands the per-launch nonce to the guest through the rendezvous
 * folder. The host writes it fresh and owner-only; the guest reads it and deletes it before
 * validating, so a malformed file is never retried forever.
 */
public final class NonceFile {
  /** File name inside the rendezvous folder. */
  public static final String FILE_NAME = "nonce.bin";
  /** Default guest wait for the file. */
  public static final Duration DEFAULT_WAIT = Duration.ofSeconds(15);
  /** Default guest poll interval. */
  public static final Duration DEFAULT_POLL = Duration.ofMillis(50);

  /** Created on first use: writing the nonce is on every run's launch path, which must not start the
   *  logging backend (java.util.logging, ~10 ms; sandbox-lifecycle's LaunchPathClassLoadingTest). */
  private static final class Log {
    static final System.Logger LOG = System.getLogger(NonceFile.class.getName());
  }

  private static final boolean POSIX =
      FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  private NonceFile() {}

  /**
   * Host side: deletes any old file, then creates {@code dir/nonce.bin} with owner-only permissions
   * (POSIX 0600 at creation time; on Windows an owner-only ACL) holding the 32 bytes.
   *
   * <p>The bytes go to a fresh owner-only temporary file in {@code dir} that is then renamed onto
   * {@code nonce.bin} atomically, so a guest polling the folder never sees an empty or half-written
   * file (it would consume and reject it).
   */
  public static Path write(Path dir, Nonce nonce) throws NonceFileException {
    Path file = dir.resolve(FILE_NAME);
    Path tmp = dir.resolve(FILE_NAME + ".tmp");
    try {
      Files.deleteIfExists(file);
      Files.deleteIfExists(tmp);
      createOwnerOnly(tmp);
      byte[] bytes = nonce.toBytes();
      try {
        Files.write(tmp, bytes, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
      } finally {
        java.util.Arrays.fill(bytes, (byte) 0);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      return file;
    } catch (IOException e) {
      deleteQuietly(tmp);
      throw new NonceFileException(
          "cannot write the nonce file " + file + ": " + e
              + "; check that the folder exists and is writable by this user", e);
    }
  }

  private static void createOwnerOnly(Path file) throws IOException {
    if (POSIX) {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } else {
      Files.createFile(file);
      restrictToOwner(file);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // best effort: the original failure is what the caller needs to see
    }
  }

  private static void restrictToOwner(Path file) throws IOException {
    AclFileAttributeView view = Files.getFileAttributeView(file, AclFileAttributeView.class);
    if (view == null) {
      return;
    }
    UserPrincipal owner = Files.getOwner(file);
    AclEntry entry =
        AclEntry.newBuilder()
            .setType(AclEntryType.ALLOW)
            .setPrincipal(owner)
            .setPermissions(EnumSet.allOf(AclEntryPermission.class))
            .build();
    view.setAcl(List.of(entry));
  }

  /** Guest side with the default wait (15 s) and poll (50 ms). */
  public static Nonce consume(Path dir) throws NonceFileException {
    return consume(dir, DEFAULT_WAIT, DEFAULT_POLL);
  }

  /**
   * Guest side: polls for {@code dir/nonce.bin}, reads it, deletes it, then validates its length.
   *
   * @throws NonceFileException naming the path and the wait when it never appears, or the path and
   *     the length when it is not exactly 32 bytes
   */
  public static Nonce consume(Path dir, Duration wait, Duration poll) throws NonceFileException {
    return consume(dir, wait, poll, Files::deleteIfExists);
  }

  /** How the guest removes the file once read (tests substitute a failing one). */
  @FunctionalInterface
  interface Remover {
    void remove(Path file) throws IOException;
  }

  static Nonce consume(Path dir, Duration wait, Duration poll, Remover remover) throws NonceFileException {
    Path file = dir.resolve(FILE_NAME);
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      byte[] content;
      try {
        content = Files.readAllBytes(file);
      } catch (NoSuchFileException e) {
        if (System.nanoTime() - deadline >= 0) {
          throw new NonceFileException(
              "nonce file " + file + " did not appear within " + wait.toMillis()
                  + " ms; the host writes it before it starts the guest: check that the host"
                  + " launched this guest and that the rendezvous folder is shared with it");
        }
        sleep(Math.min(poll.toNanos(), deadline - System.nanoTime()), file);
        continue;
      } catch (IOException e) {
        throw new NonceFileException("cannot read the nonce file " + file + ": " + e.getMessage(), e);
      }
      try {
        remover.remove(file);
      } catch (IOException e) {
        scrub(file, e);
      }
      if (content.length != Nonce.LENGTH) {
        int length = content.length;
        java.util.Arrays.fill(content, (byte) 0);
        throw new NonceFileException(
            "nonce file " + file + " has " + length + " bytes, expected " + Nonce.LENGTH
                + "; it has been deleted: restart the launch so the host writes a fresh one");
      }
      Nonce nonce = Nonce.fromBytes(content);
      java.util.Arrays.fill(content, (byte) 0);
      return nonce;
    }
  }

  /**
   * The nonce file could not be deleted (on Windows another process may hold it open without
   * delete sharing). As mxc, that is not fatal; but the jobs this guest runs must not read the
   * nonce, so the file is emptied instead, and only when that fails too is the launch refused.
   */
  private static void scrub(Path file, IOException deleteFailure) throws NonceFileException {
    try {
      Files.write(file, new byte[0], StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException e) {
      NonceFileException f = new NonceFileException("cannot delete the nonce file " + file + " after reading it ("
          + deleteFailure.getMessage() + ") nor empty it (" + e.getMessage() + "); refusing to run with a nonce"
          + " the jobs could read", deleteFailure);
      f.addSuppressed(e);
      throw f;
    }
    Log.LOG.log(System.Logger.Level.WARNING, "could not delete the nonce file {0} ({1}); emptied it instead, so no"
        + " job can read the nonce", file, deleteFailure.getMessage());
  }

  private static void sleep(long nanos, Path file) throws NonceFileException {
    try {
      Thread.sleep(Math.max(1, java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(nanos)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NonceFileException("interrupted while waiting for the nonce file " + file);
    }
  }
}
