package dev.sandboxkit.protocol;

/** Outcome of decoding from an accumulation buffer: a message, or "need more bytes". */
public sealed interface DecodeResult permits DecodeResult.Decoded, DecodeResult.Incomplete {

  /** The shared "incomplete" answer. */
  Incomplete INCOMPLETE = new Incomplete();

  /**
   * A whole frame was decoded.
   *
   * @param consumed bytes to remove from the front of the buffer (4 + body length)
   */
  record Decoded(ControlMessage message, int consumed) implements DecodeResult {}

  /** Fewer bytes than a whole frame are buffered; not an error. */
  record Incomplete() implements DecodeResult {}
}
