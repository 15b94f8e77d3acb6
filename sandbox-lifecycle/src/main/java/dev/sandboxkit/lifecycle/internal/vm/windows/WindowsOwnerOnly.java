package dev.sandboxkit.lifecycle.internal.vm.windows;

import dev.sandboxkit.lifecycle.internal.controlplane.AtomicJson;
import dev.sandboxkit.lifecycle.internal.controlplane.OwnerOnly;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Owner-only directories and files for the Windows driver: rules' {@link OwnerOnly} (one
 * full-control ACE for the current user, inheritable for directories, via {@code
 * AclFileAttributeView}; POSIX 0700/0600 elsewhere), then the DACL marked protected, then the owner
 * verified (a root owned by another user is refused: its owner keeps an implicit WRITE_DAC).
 */
final class WindowsOwnerOnly {
  private final DaclProtector protector;

  WindowsOwnerOnly(DaclProtector protector) {
    this.protector = protector;
  }

  /**
   * Creates or secures {@code dir}.
   *
   * @throws dev.sandboxkit.lifecycle.internal.controlplane.OwnershipException when another user owns it
   */
  Path secureDirectory(Path dir) throws IOException {
    Path abs = OwnerOnly.ensureDirectory(dir);
    OwnerOnly.verifyOwner(abs);
    protector.protect(abs);
    return abs;
  }

  /** Writes {@code bytes} atomically to an owner-only {@code file}, then protects its DACL. */
  Path writeFile(Path file, byte[] bytes) throws IOException {
    AtomicJson.writeBytes(file, bytes);
    protector.protect(file);
    return file;
  }
}
