package dev.sandboxkit.protocol;

import java.io.IOException;

/**
 * The peer sent bytes that are not valid protocol version 1. On our channels this means the peer is
 * broken or hostile: callers close the channel, they do not try to resynchronise.
 */
public class ProtocolException extends IOException {
  private static final long serialVersionUID = 1L;

  public ProtocolException(String message) {
    super(message);
  }

  public ProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
