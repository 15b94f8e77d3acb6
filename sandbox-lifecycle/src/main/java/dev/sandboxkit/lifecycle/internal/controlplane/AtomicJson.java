package dev.sandboxkit.lifecycle.internal.controlplane;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Durable, atomic replacement of small records (markers, state records), given as bytes: callers
 * serialise with jackson-core's streaming API (e.g. {@code Marker.toJson()}), so nothing on the
 * launch path loads jackson-databind.
 *
 * <p>Write path: a unique {@code <uuid>.tmp} in the target's directory, created owner-only, written and
 * {@code force(true)}d, then renamed over the target with {@code ATOMIC_MOVE}; finally the directory is
 * fsynced where the platform allows it (Linux). A reader therefore sees the old or the new record,
 * never a torn one, also after a power loss (fixes the reference's weakness W11). Leftover temp files
 * of crashed writers are removed by {@link #sweepStaleTemps(Path, Duration)}.
 */
public final class AtomicJson {

  /** Suffix of in-flight temp files. */
  public static final String TEMP_SUFFIX = ".tmp";

  /** The logger, created on first use: the launch path never starts the logging backend. */
  private static final class Log {
    static final System.Logger LOG = System.getLogger(AtomicJson.class.getName());
  }

  private AtomicJson() {
  }

  /**
   * Atomically replaces {@code target} with {@code bytes}. The parent directory must exist (secure it
   * with {@link OwnerOnly#ensureDirectory(Path)} first). On failure the temp file is deleted and the
   * old target is untouched.
   */
  public static void writeBytes(Path target, byte[] bytes) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    if (dir == null) {
      throw new IOException("cannot write " + target + " atomically: it has no parent directory");
    }
    Path tmp = dir.resolve(Ids.uuid() + TEMP_SUFFIX);
    try {
      try (FileChannel ch = FileChannel.open(tmp,
          Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), OwnerOnly.fileAttribute(tmp))) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("cannot replace " + target + " atomically: the file system does not support"
            + " atomic renames in " + dir, e);
      }
    } catch (IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    fsyncDirectory(dir);
  }

  /**
   * Deletes {@code *.tmp} files in {@code dir} whose modification time is at least {@code minAge} old
   * (a younger one may belong to a writer that is still running). Errors are logged and skipped.
   *
   * @return the files removed
   */
  public static List<Path> sweepStaleTemps(Path dir, Duration minAge) {
    List<Path> removed = new ArrayList<>();
    Instant cutoff = Instant.now().minus(minAge);
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*" + TEMP_SUFFIX)) {
      for (Path p : entries) {
        try {
          if (Files.isRegularFile(p) && !Files.getLastModifiedTime(p).toInstant().isAfter(cutoff)) {
            Files.delete(p);
            removed.add(p);
          }
        } catch (IOException e) {
          Log.LOG.log(System.Logger.Level.DEBUG, "could not sweep " + p + ": " + e);
        }
      }
    } catch (NoSuchFileException e) {
      return removed;
    } catch (IOException e) {
      Log.LOG.log(System.Logger.Level.DEBUG, "could not list " + dir + " for stale temp files: " + e);
    }
    return removed;
  }

  /** fsync a directory so a rename in it is durable; silently skipped where unsupported (Windows). */
  static void fsyncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      Log.LOG.log(System.Logger.Level.TRACE, "directory fsync not available for " + dir + ": " + e);
    }
  }
}
