package dev.sandboxkit.protocol;

import java.util.HexFormat;

/** The 8 bytes the guest writes first on the control channel: ASCII {@code WSBP} + u32 LE version. */
public final class Preamble {
  /** Preamble length in bytes. */
  public static final int LENGTH = 8;
  /** The control protocol version this library speaks. */
  public static final int VERSION = 1;

  private static final byte[] MAGIC = {'W', 'S', 'B', 'P'};

  private Preamble() {}

  /** A fresh copy of the version-1 preamble bytes. */
  public static byte[] bytes() {
    byte[] b = new byte[LENGTH];
    System.arraycopy(MAGIC, 0, b, 0, MAGIC.length);
    LittleEndian.putU32(b, 4, VERSION);
    return b;
  }

  /**
   * Validates a received preamble: magic first, then the version.
   *
   * @return the version (always {@link #VERSION})
   * @throws BadPreambleException with kind BAD_MAGIC (and the 4 bytes received) or VERSION_MISMATCH
   *     (expected and actual version)
   */
  public static int validate(byte[] b) throws BadPreambleException {
    if (b == null || b.length != LENGTH) {
      int n = b == null ? 0 : b.length;
      throw new BadPreambleException(
          BadPreambleException.Kind.BAD_MAGIC, "preamble must be " + LENGTH + " bytes, got " + n);
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (b[i] != MAGIC[i]) {
        throw new BadPreambleException(
            BadPreambleException.Kind.BAD_MAGIC,
            "bad magic: expected 57534250 (\"WSBP\"), got " + HexFormat.of().formatHex(b, 0, 4));
      }
    }
    long version = LittleEndian.getU32(b, 4);
    if (version != VERSION) {
      throw new BadPreambleException(
          BadPreambleException.Kind.VERSION_MISMATCH,
          "version mismatch, expected " + VERSION + ", got " + version);
    }
    return VERSION;
  }
}
