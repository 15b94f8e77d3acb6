package dev.sandboxkit.guest.listener;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * {@code rendezvous.txt}: the one line (no trailing newline) that tells the host where the agent
 * listens. Written to a temporary file in the same folder, flushed to disk (see {@link #write(Path,
 * String, boolean)}), then renamed over the target atomically, so the host never reads half a line.
 */
public final class RendezvousFile {
  /** File name in the rendezvous folder. */
  public static final String FILE_NAME = "rendezvous.txt";

  private static final int MAX_ATTEMPTS = 100;
  private static final boolean POSIX =
      FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

  private RendezvousFile() {}

  /** Writes {@code address} atomically into {@code dir/rendezvous.txt}, flushed to disk first. */
  public static Path write(Path dir, String address) throws IOException {
    return write(dir, address, true);
  }

  /**
   * Writes {@code address} atomically into {@code dir/rendezvous.txt}.
   *
   * @param flush whether the temporary file is flushed to disk ({@code fsync}) before the rename.
   *     Not needed when the host reads the folder through the same kernel (bubblewrap, the unix
   *     transport): there the rename alone publishes the complete line, and the flush only costs
   *     time on the start-up path (over 100 ms measured on a host busy writing to the same disk).
   */
  public static Path write(Path dir, String address, boolean flush) throws IOException {
    Path target = dir.resolve(FILE_NAME);
    Path tmp = createTemp(dir);
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer b = ByteBuffer.wrap(address.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
          ch.write(b);
        }
        if (flush) {
          ch.force(true);
        }
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return target;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * A new, empty, owner-only (on POSIX) file {@code .rendezvous-<nanos>-<n>.tmp} in {@code dir},
   * created exclusively (never through an existing file or link). Unlike {@link
   * Files#createTempFile} it needs no {@link java.security.SecureRandom}, whose set-up (security
   * providers, the entropy device) would sit on the agent's start-up path: the name only has to be
   * free (only the agent writes into its rendezvous folder), and exclusive creation makes sure of
   * that.
   */
  static Path createTemp(Path dir) throws IOException {
    for (int attempt = 0; ; attempt++) {
      Path tmp = dir.resolve(".rendezvous-" + System.nanoTime() + "-" + attempt + ".tmp");
      try {
        if (POSIX) {
          return Files.createFile(tmp, OWNER_ONLY);
        }
        return Files.createFile(tmp);
      } catch (FileAlreadyExistsException e) {
        if (attempt >= MAX_ATTEMPTS) {
          throw e;
        }
      }
    }
  }
}
