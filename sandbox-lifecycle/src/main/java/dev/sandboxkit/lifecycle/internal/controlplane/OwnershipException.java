package dev.sandboxkit.lifecycle.internal.controlplane;

import java.io.IOException;
import java.nio.file.Path;

/** A private directory or file is owned by another user, so nothing in it may be trusted. */
public final class OwnershipException extends IOException {

  private static final long serialVersionUID = 1L;

  private final transient Path path;

  public OwnershipException(Path path, String owner, String currentUser) {
    super(path + " is owned by '" + owner + "', not by the current user '" + currentUser
        + "'; refusing to trust it. Remove it (as its owner or an administrator) and retry.");
    this.path = path;
  }

  /** The offending path. */
  public Path path() {
    return path;
  }
}
