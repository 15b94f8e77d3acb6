package dev.sandboxkit.auth;

import java.io.IOException;

/**
 * A socket's 33-byte nonce+role handshake failed. Messages never contain the nonce.
 *
 * <p>A failed handshake is an expected hostile event (a flood of bad connections must stay cheap),
 * so this exception carries no stack trace: the reason and message say everything.
 */
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

  /** No stack trace: filling one in is most of the cost of a rejected handshake. */
  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }
}
