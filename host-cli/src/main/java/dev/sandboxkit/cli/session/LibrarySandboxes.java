package dev.sandboxkit.cli.session;

import dev.sandboxkit.lifecycle.FailurePhase;
import dev.sandboxkit.lifecycle.NetworkAccess;
import dev.sandboxkit.lifecycle.SandboxException;
import dev.sandboxkit.lifecycle.SandboxPolicy;
import java.nio.file.Path;
import java.util.List;

/** The real {@link SessionSandbox.Factory}: the lifecycle library's live {@code Sandbox}. */
public final class LibrarySandboxes implements SessionSandbox.Factory {

  @Override
  public SessionSandbox start(SessionRecord record, Runnable onClosed) throws SandboxException {
    throw new SandboxException(FailurePhase.REJECTED, "live sandboxes are not in this build yet",
        "the library's Sandbox API is needed");
  }

  /** The record's policy as the library's. */
  static SandboxPolicy policy(SessionRecord r) {
    return SandboxPolicy.builder()
        .readWrite(paths(r.readWrite()))
        .readOnly(paths(r.readOnly()))
        .deny(paths(r.deny()))
        .network("allow".equals(r.network()) ? NetworkAccess.ALLOW : NetworkAccess.BLOCK)
        .build();
  }

  private static Path[] paths(List<String> in) {
    return in.stream().map(Path::of).toArray(Path[]::new);
  }
}
