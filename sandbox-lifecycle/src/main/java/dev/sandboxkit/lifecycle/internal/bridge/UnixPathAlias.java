package dev.sandboxkit.lifecycle.internal.bridge;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Unix socket paths are limited to ~107 bytes. When the rendezvous folder is deeper than that, connect
 * through a short owner-only alias: {@code /tmp/skNNNN/r -> <rendezvous folder>} (or under {@code /dev/shm}
 * or {@code java.io.tmpdir}). Removed on close.
 */
public final class UnixPathAlias implements AutoCloseable {
  /** Longest socket path we pass to connect(2) directly. */
  static final int MAX_PATH_BYTES = 100;

  private final SocketAddress address;
  private final Path aliasDir;

  private UnixPathAlias(SocketAddress address, Path aliasDir) {
    this.address = address;
    this.aliasDir = aliasDir;
  }

  /** The address to connect to (the original one when it is short enough or not a Unix socket). */
  public SocketAddress address() {
    return address;
  }

  /**
   * The address itself when it is short enough, else a short alias for it under the first usable of
   * {@code /tmp}, {@code /dev/shm} and {@code java.io.tmpdir} (which may itself be long, hence last).
   */
  public static UnixPathAlias of(SocketAddress address) throws IOException {
    List<Path> bases = new ArrayList<>(List.of(Path.of("/tmp"), Path.of("/dev/shm")));
    String tmpdir = System.getProperty("java.io.tmpdir");
    if (tmpdir != null && !tmpdir.isBlank()) {
      bases.add(Path.of(tmpdir));
    }
    return of(address, bases);
  }

  /** {@link #of(SocketAddress)} with the alias base candidates given (tests). */
  static UnixPathAlias of(SocketAddress address, List<Path> bases) throws IOException {
    if (!(address instanceof UnixDomainSocketAddress)) {
      return new UnixPathAlias(address, null);
    }
    Path socket = ((UnixDomainSocketAddress) address).getPath().toAbsolutePath();
    if (length(socket) <= MAX_PATH_BYTES) {
      return new UnixPathAlias(address, null);
    }
    StringBuilder tried = new StringBuilder();
    for (Path base : bases) {
      if (!Files.isDirectory(base)) {
        tried.append(base).append(" (not a directory); ");
        continue;
      }
      // "<base>/sk<~19 digits>/r/<socket name>" must fit before anything is created
      int expected = length(base) + 1 + 2 + 20 + 3 + length(socket.getFileName());
      if (expected > MAX_PATH_BYTES) {
        tried.append(base).append(" (too long itself); ");
        continue;
      }
      Path dir;
      try {
        dir = Files.createTempDirectory(base, "sk", PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rwx------")));
      } catch (IOException | UnsupportedOperationException e) {
        tried.append(base).append(" (").append(e.getMessage()).append("); ");
        continue;
      }
      Path shortSocket = dir.resolve("r").resolve(socket.getFileName());
      if (length(shortSocket) > MAX_PATH_BYTES) {
        new UnixPathAlias(null, dir).close();
        tried.append(base).append(" (alias still too long); ");
        continue;
      }
      try {
        Files.createSymbolicLink(dir.resolve("r"), socket.getParent());
      } catch (IOException | UnsupportedOperationException e) {
        new UnixPathAlias(null, dir).close();
        tried.append(base).append(" (").append(e.getMessage()).append("); ");
        continue;
      }
      return new UnixPathAlias(UnixDomainSocketAddress.of(shortSocket), dir);
    }
    throw new IOException("the socket path " + socket + " is " + length(socket) + " bytes, over the "
        + MAX_PATH_BYTES + "-byte limit, and no short alias could be made (tried " + tried
        + "); use a shorter state root or make /tmp writable");
  }

  private static int length(Path p) {
    return p.toString().getBytes(StandardCharsets.UTF_8).length;
  }

  @Override
  public void close() {
    if (aliasDir == null) {
      return;
    }
    try {
      Files.deleteIfExists(aliasDir.resolve("r"));
      Files.deleteIfExists(aliasDir);
    } catch (IOException ignored) {
      // best effort
    }
  }
}
