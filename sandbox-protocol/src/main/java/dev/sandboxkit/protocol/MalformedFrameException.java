package dev.sandboxkit.protocol;

/** A complete frame whose JSON body is not a valid control message. */
public final class MalformedFrameException extends ProtocolException {
  private static final long serialVersionUID = 1L;

  public MalformedFrameException(String message) {
    super(message);
  }

  public MalformedFrameException(String message, Throwable cause) {
    super(message, cause);
  }
}
