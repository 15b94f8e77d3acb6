package dev.sandboxkit.protocol;

/** A frame's declared (or encoded) length is above {@link FrameCodec#MAX_FRAME_LENGTH}. */
public final class FrameTooLongException extends ProtocolException {
  private static final long serialVersionUID = 1L;

  private final long length;

  public FrameTooLongException(long length, long limit) {
    super("control frame of " + length + " bytes exceeds the limit of " + limit + " bytes");
    this.length = length;
  }

  /** The offending length in bytes. */
  public long length() {
    return length;
  }
}
