package dev.sandboxkit.lifecycle.internal.bridge;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Unix socket paths are limited to ~107 bytes. When the rendezvous folder is deeper than that, connect
 * through a short owner-only alias: {@code <tmp>/skNNNN/r -> <rendezvous folder>}. Removed on close.
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

  public static UnixPathAlias of(SocketAddress address) throws IOException {
    if (!(address instanceof UnixDomainSocketAddress)) {
      return new UnixPathAlias(address, null);
    }
    Path socket = ((UnixDomainSocketAddress) address).getPath().toAbsolutePath();
    if (socket.toString().getBytes(StandardCharsets.UTF_8).length <= MAX_PATH_BYTES) {
      return new UnixPathAlias(address, null);
    }
    Path base = Path.of("/tmp");
    Path dir = Files.isDirectory(base)
        ? Files.createTempDirectory(base, "sk", PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rwx------")))
        : Files.createTempDirectory("sk");
    Path link = Files.createSymbolicLink(dir.resolve("r"), socket.getParent());
    Path shortSocket = link.resolve(socket.getFileName());
    if (shortSocket.toString().getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
      new UnixPathAlias(null, dir).close();
      throw new IOException("the socket path " + socket + " is too long and no short alias is possible");
    }
    return new UnixPathAlias(UnixDomainSocketAddress.of(shortSocket), dir);
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
