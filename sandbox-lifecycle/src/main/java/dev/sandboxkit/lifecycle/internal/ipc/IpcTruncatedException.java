package dev.sandboxkit.lifecycle.internal.ipc;

/** The stream ended inside a frame (only EOF exactly at a frame boundary is clean). */
public final class IpcTruncatedException extends IpcException {
  private static final long serialVersionUID = 1L;

  public IpcTruncatedException(String what, long expected, long got) {
    super("unexpected end of stream in " + what + ": expected " + expected + " bytes, got " + got);
  }
}
