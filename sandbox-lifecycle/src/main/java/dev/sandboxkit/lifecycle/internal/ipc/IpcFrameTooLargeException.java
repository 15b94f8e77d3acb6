package dev.sandboxkit.lifecycle.internal.ipc;

/** A declared or encoded length is above {@link IpcCodec#MAX_PAYLOAD}; detected from the header alone. */
public final class IpcFrameTooLargeException extends IpcException {
  private static final long serialVersionUID = 1L;

  private final long length;

  public IpcFrameTooLargeException(String what, long length) {
    super(what + " too large: " + length + " bytes (limit " + IpcCodec.MAX_PAYLOAD + " bytes)");
    this.length = length;
  }

  /** The offending length. */
  public long length() {
    return length;
  }
}
