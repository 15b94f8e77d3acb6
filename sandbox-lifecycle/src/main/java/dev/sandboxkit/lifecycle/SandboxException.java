package dev.sandboxkit.lifecycle;

import java.util.Objects;

/**
 * A run could not be prepared, launched or completed. The kind is a field ({@link #phase()}), not
 * message text. {@link #getMessage()} is a one-line summary of what failed; {@link #detail()} says
 * why and what to do. Neither ever contains the nonce or the command line.
 */
public class SandboxException extends Exception {
  private static final long serialVersionUID = 1L;

  private final FailurePhase phase;
  private final String detail;

  public SandboxException(FailurePhase phase, String summary, String detail) {
    this(phase, summary, detail, null);
  }

  public SandboxException(FailurePhase phase, String summary, String detail, Throwable cause) {
    super(Objects.requireNonNull(summary, "summary"), cause);
    this.phase = Objects.requireNonNull(phase, "phase");
    this.detail = detail == null ? "" : detail;
  }

  /** Where the run stopped. */
  public FailurePhase phase() {
    return phase;
  }

  /** Developer detail: the specific reason and the remedy. May be empty. */
  public String detail() {
    return detail;
  }
}
