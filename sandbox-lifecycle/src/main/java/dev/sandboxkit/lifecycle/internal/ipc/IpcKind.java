package dev.sandboxkit.lifecycle.internal.ipc;

/** The kind byte of an ipc-exec data/exit frame. */
public enum IpcKind {
  /** Raw stdout bytes, daemon to client. */
  STDOUT(1),
  /** Raw stderr bytes, daemon to client. */
  STDERR(2),
  /** {@code {"exit_code":i32,"error_message":str}}, daemon to client, exactly once, last. */
  EXIT(3),
  /** Raw stdin bytes, client to daemon. */
  STDIN(4),
  /** Any other kind byte: preserved, not an error (forward compatibility). */
  UNKNOWN(-1);

  private final int wire;

  IpcKind(int wire) {
    this.wire = wire;
  }

  /** The wire byte (-1 for UNKNOWN). */
  public int wire() {
    return wire;
  }

  /** The kind of a wire byte (0..255). */
  public static IpcKind fromWire(int b) {
    return switch (b) {
      case 1 -> STDOUT;
      case 2 -> STDERR;
      case 3 -> EXIT;
      case 4 -> STDIN;
      default -> UNKNOWN;
    };
  }
}
