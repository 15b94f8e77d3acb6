package dev.sandboxkit.auth;

import java.io.IOException;

/** A socket's 33-byte nonce+role handshake failed. Messages never contain the nonce. */
public final class HandshakeException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Why the handshake failed. */
  public enum Reason {
    WRONG_NONCE,
    UNKNOWN_ROLE,
    SHORT_READ,
    DEADLINE
  }

  private final Reason reason;

  public HandshakeException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
