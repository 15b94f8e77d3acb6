package dev.sandboxkit.lifecycle.internal.vm.bubblewrap;

import dev.sandboxkit.lifecycle.FailurePhase;
import dev.sandboxkit.lifecycle.SandboxException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Root host: hands the folders a sandbox writes (the rendezvous folder and nonce.bin, a training
 * sandbox's dump folder) to the unprivileged ids it runs as. Its own class so the driver and the
 * class-data trainer both use it without depending on each other.
 */
final class SandboxOwnership {
  /** {@code nobody}: class-data training sandboxes on a root host. */
  static final long UID = 65534;
  /** {@code nogroup}: every workload's group on a root host. */
  static final long GID = 65534;

  private SandboxOwnership() {}

  /** Gives {@code dir} and the files directly in it to {@link #UID}/{@link #GID}. */
  static void hand(Path dir) throws SandboxException {
    try {
      Files.setAttribute(dir, "unix:uid", (int) UID);
      Files.setAttribute(dir, "unix:gid", (int) GID);
      try (var s = Files.list(dir)) {
        for (Path p : (Iterable<Path>) s::iterator) {
          Files.setAttribute(p, "unix:uid", (int) UID);
          Files.setAttribute(p, "unix:gid", (int) GID);
        }
      }
    } catch (IOException | UnsupportedOperationException e) {
      throw new SandboxException(FailurePhase.LAUNCH_FAILED,
          "cannot hand " + dir + " to uid " + UID, String.valueOf(e), e);
    }
  }
}
