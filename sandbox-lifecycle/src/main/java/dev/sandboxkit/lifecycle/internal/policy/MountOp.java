package dev.sandboxkit.lifecycle.internal.policy;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One mount of the plan, at a path inside the sandbox. A plan's operations are ordered from the
 * shallowest path to the deepest, so a more specific entry is mounted over a less specific one.
 */
public sealed interface MountOp {

  /** The path inside the sandbox. */
  Path path();

  /**
   * The host path {@code path} bound at the same path inside.
   *
   * @param path canonical host path (no symlink on the way), equal to the path inside
   * @param readOnly read-only bind
   * @param directory a directory (else a file or another non-directory)
   */
  record Bind(Path path, boolean readOnly, boolean directory) implements MountOp {
    public Bind {
      Objects.requireNonNull(path, "path");
    }
  }

  /** A denied directory: an empty read-only tmpfs over it. */
  record MaskDir(Path path) implements MountOp {
    public MaskDir {
      Objects.requireNonNull(path, "path");
    }
  }

  /** A denied file (or other non-directory): a read-only bind of an empty file over it, still a non-directory. */
  record MaskFile(Path path) implements MountOp {
    public MaskFile {
      Objects.requireNonNull(path, "path");
    }
  }
}
