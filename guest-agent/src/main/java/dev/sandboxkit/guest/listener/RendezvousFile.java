package dev.sandboxkit.guest.listener;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * {@code rendezvous.txt}: the one line (no trailing newline) that tells the host where the agent
 * listens. Written to a temporary file in the same folder, flushed to disk, then renamed over the
 * target atomically, so the host never reads half a line.
 */
public final class RendezvousFile {
  /** File name in the rendezvous folder. */
  public static final String FILE_NAME = "rendezvous.txt";

  private RendezvousFile() {}

  /** Writes {@code address} atomically into {@code dir/rendezvous.txt}. */
  public static Path write(Path dir, String address) throws IOException {
    Path target = dir.resolve(FILE_NAME);
    Path tmp = Files.createTempFile(dir, ".rendezvous-", ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer b = ByteBuffer.wrap(address.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
          ch.write(b);
        }
        ch.force(true);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return target;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
