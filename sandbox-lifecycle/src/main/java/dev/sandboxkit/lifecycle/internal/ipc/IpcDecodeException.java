package dev.sandboxkit.lifecycle.internal.ipc;

/** A frame's JSON payload (ExecStart or Exit) is malformed. */
public final class IpcDecodeException extends IpcException {
  private static final long serialVersionUID = 1L;

  public IpcDecodeException(String message, Throwable cause) {
    super(message, cause);
  }
}
