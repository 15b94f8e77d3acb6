package dev.sandboxkit.auth;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The 32-byte per-launch secret every host-to-guest socket starts with. Immutable; the bytes are
 * defensively copied in and out, compared in constant time, and never printed.
 */
public final class Nonce {
  /** Nonce length in bytes. */
  public static final int LENGTH = 32;

  private final byte[] bytes;

  private Nonce(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * A fresh nonce from the platform's strong CSPRNG (falling back to the default {@link
   * SecureRandom} when no strong source is configured).
   *
   * @throws NonceException when no secure random source is usable
   */
  public static Nonce generate() throws NonceException {
    byte[] b = new byte[LENGTH];
    try {
      random().nextBytes(b);
    } catch (RuntimeException e) {
      throw new NonceException("the secure random number generator failed: " + e.getMessage(), e);
    }
    return new Nonce(b);
  }

  private static SecureRandom random() throws NonceException {
    try {
      return SecureRandom.getInstanceStrong();
    } catch (NoSuchAlgorithmException e) {
      try {
        return new SecureRandom();
      } catch (RuntimeException e2) {
        throw new NonceException("no secure random number generator is available", e2);
      }
    }
  }

  /**
   * Wraps exactly {@link #LENGTH} bytes (copied).
   *
   * @throws IllegalArgumentException for any other length
   */
  public static Nonce fromBytes(byte[] b) {
    if (b == null || b.length != LENGTH) {
      throw new IllegalArgumentException(
          "a nonce is exactly " + LENGTH + " bytes, got " + (b == null ? 0 : b.length));
    }
    return new Nonce(b.clone());
  }

  /** A copy of the 32 bytes. Never log it. */
  public byte[] toBytes() {
    return bytes.clone();
  }

  /**
   * Constant-time comparison with the {@link #LENGTH} bytes of {@code b} at {@code off} (every byte
   * is examined whatever the first difference).
   */
  public boolean matches(byte[] b, int off) {
    if (b == null || off < 0 || b.length - off < LENGTH) {
      return false;
    }
    int diff = 0;
    for (int i = 0; i < LENGTH; i++) {
      diff |= bytes[i] ^ b[off + i];
    }
    return diff == 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Nonce other && MessageDigest.isEqual(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    // Not derived from the secret: equal nonces share it, and it leaks nothing.
    return LENGTH;
  }

  @Override
  public String toString() {
    return "Nonce[redacted]";
  }

  /** Zero-filled copy used only by tests that need a deterministic nonce. */
  static Nonce ofFilled(byte value) {
    byte[] b = new byte[LENGTH];
    Arrays.fill(b, value);
    return new Nonce(b);
  }
}
