package dev.sandboxkit.lifecycle;

import dev.sandboxkit.*;

import java.util.Objects;

/**
 * The sandbox is closed (or closing): by {@link dev.sandboxkit.Sandbox#close()}, by its idle timeout or maximum
 * lifetime, or because the guest or the sandbox died. The current execution and every later call
 * fail with it. Phase {@link FailurePhase#POST_LAUNCH_FAILED}.
 */
public final class SandboxClosedException extends SandboxException {
  private static final long serialVersionUID = 1L;

  /** Why the sandbox closed. */
  public enum Reason {
    /** {@link dev.sandboxkit.Sandbox#close()} was called. */
    CLOSED,
    /** No execution ran for the configured idle timeout. */
    IDLE_TIMEOUT,
    /** The configured maximum lifetime passed. */
    MAX_LIFETIME,
    /** The guest agent, its connection or the sandbox itself went away (or stopped answering). */
    GUEST_DIED
  }

  private final Reason reason;

  public SandboxClosedException(Reason reason, String summary, String detail) {
    super(FailurePhase.POST_LAUNCH_FAILED, summary, detail);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** Why the sandbox closed. */
  public Reason reason() {
    return reason;
  }
}
