package dev.sandboxkit.lifecycle.internal.ipc;

import java.util.Arrays;

/**
 * One data/exit frame: {@code [kind u8][length u32 LE][payload]}.
 *
 * @param kind the decoded kind
 * @param rawKind the wire byte (0..255), kept for UNKNOWN kinds
 * @param payload the payload (not copied; do not mutate)
 */
public record IpcFrame(IpcKind kind, int rawKind, byte[] payload) {

  public IpcFrame {
    if (rawKind < 0 || rawKind > 255) {
      throw new IllegalArgumentException("kind byte " + rawKind + " is out of range 0..255");
    }
    if (kind != IpcKind.fromWire(rawKind)) {
      throw new IllegalArgumentException("kind " + kind + " does not match kind byte " + rawKind);
    }
  }

  /** A frame of a known kind. */
  public static IpcFrame of(IpcKind kind, byte[] payload) {
    if (kind == IpcKind.UNKNOWN) {
      throw new IllegalArgumentException("use the raw kind byte for an unknown kind");
    }
    return new IpcFrame(kind, kind.wire(), payload);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IpcFrame f && f.rawKind == rawKind && Arrays.equals(f.payload, payload);
  }

  @Override
  public int hashCode() {
    return 31 * rawKind + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "IpcFrame[" + kind + "(" + rawKind + "), " + payload.length + " bytes]";
  }
}
