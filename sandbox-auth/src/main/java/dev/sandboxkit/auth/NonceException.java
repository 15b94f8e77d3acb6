package dev.sandboxkit.auth;

/** No nonce could be generated: the platform's secure random source failed. */
public final class NonceException extends Exception {
  private static final long serialVersionUID = 1L;

  public NonceException(String message, Throwable cause) {
    super(message, cause);
  }
}
