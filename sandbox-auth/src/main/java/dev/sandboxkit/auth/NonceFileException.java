package dev.sandboxkit.auth;

import java.io.IOException;

/** The nonce file could not be written, or never appeared, or had the wrong length. */
public final class NonceFileException extends IOException {
  private static final long serialVersionUID = 1L;

  public NonceFileException(String message) {
    super(message);
  }

  public NonceFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
