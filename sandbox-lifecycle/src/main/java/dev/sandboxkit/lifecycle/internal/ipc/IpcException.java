package dev.sandboxkit.lifecycle.internal.ipc;

import java.io.IOException;

/** An ipc-exec stream is malformed; the peer is broken or hostile, close the connection. */
public class IpcException extends IOException {
  private static final long serialVersionUID = 1L;

  public IpcException(String message) {
    super(message);
  }

  public IpcException(String message, Throwable cause) {
    super(message, cause);
  }
}
