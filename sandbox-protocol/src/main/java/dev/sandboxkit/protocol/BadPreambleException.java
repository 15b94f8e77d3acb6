package dev.sandboxkit.protocol;

/** The 8-byte control preamble is not {@code WSBP} + version 1. */
public final class BadPreambleException extends ProtocolException {
  private static final long serialVersionUID = 1L;

  /** What was wrong with the preamble. Bad magic is reported even if the version is wrong too. */
  public enum Kind {
    BAD_MAGIC,
    VERSION_MISMATCH
  }

  private final Kind kind;

  BadPreambleException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
