package dev.sandboxkit.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * The control-frame codec without Netty: {@code [u32 LE length][UTF-8 JSON]}, at most {@link
 * #MAX_FRAME_LENGTH} bytes of JSON. An over-limit length is rejected from the header alone.
 */
public final class FrameCodec {
  /** Largest accepted JSON body: 16 MiB (exactly 16 MiB is allowed). */
  public static final int MAX_FRAME_LENGTH = 16 * 1024 * 1024;
  /** Length prefix size. */
  public static final int HEADER_LENGTH = 4;

  private FrameCodec() {}

  /** Encodes one frame; refuses to produce a frame whose body exceeds the limit. */
  public static byte[] encode(ControlMessage message) throws FrameTooLongException {
    byte[] json = ControlJson.toJson(message);
    if (json.length > MAX_FRAME_LENGTH) {
      throw new FrameTooLongException(json.length, MAX_FRAME_LENGTH);
    }
    byte[] frame = new byte[HEADER_LENGTH + json.length];
    LittleEndian.putU32(frame, 0, json.length);
    System.arraycopy(json, 0, frame, HEADER_LENGTH, json.length);
    return frame;
  }

  /**
   * Decodes the first frame in {@code buf[off, off+len)}.
   *
   * @return {@link DecodeResult.Decoded} with the bytes consumed, or {@link DecodeResult#INCOMPLETE}
   * @throws FrameTooLongException as soon as a header declares more than the limit
   * @throws MalformedFrameException when a whole frame's body is not a valid message
   */
  public static DecodeResult decode(byte[] buf, int off, int len) throws ProtocolException {
    if (len < HEADER_LENGTH) {
      return DecodeResult.INCOMPLETE;
    }
    long bodyLength = LittleEndian.getU32(buf, off);
    checkLength(bodyLength);
    if (len - HEADER_LENGTH < bodyLength) {
      return DecodeResult.INCOMPLETE;
    }
    ControlMessage m = ControlJson.fromJson(buf, off + HEADER_LENGTH, (int) bodyLength);
    return new DecodeResult.Decoded(m, HEADER_LENGTH + (int) bodyLength);
  }

  /** Decodes the first frame in {@code buf} (position to limit); the buffer's position is not moved. */
  public static DecodeResult decode(ByteBuffer buf) throws ProtocolException {
    if (buf.hasArray()) {
      return decode(buf.array(), buf.arrayOffset() + buf.position(), buf.remaining());
    }
    byte[] copy = new byte[buf.remaining()];
    buf.duplicate().get(copy);
    return decode(copy, 0, copy.length);
  }

  /** Checks a declared body length against the limit. */
  public static void checkLength(long bodyLength) throws FrameTooLongException {
    if (bodyLength > MAX_FRAME_LENGTH) {
      throw new FrameTooLongException(bodyLength, MAX_FRAME_LENGTH);
    }
  }

  /** Writes one frame (header and body in a single write). */
  public static void writeFrame(OutputStream out, ControlMessage message) throws IOException {
    out.write(encode(message));
    out.flush();
  }

  /**
   * Reads one whole frame, blocking.
   *
   * @return the message, or {@code null} on a clean end of stream before any header byte
   * @throws EOFException when the stream ends inside a frame
   */
  public static ControlMessage readFrame(InputStream in) throws IOException {
    byte[] header = new byte[HEADER_LENGTH];
    int first = in.read();
    if (first < 0) {
      return null;
    }
    header[0] = (byte) first;
    readFully(in, header, 1, HEADER_LENGTH - 1);
    long bodyLength = LittleEndian.getU32(header, 0);
    checkLength(bodyLength);
    byte[] body = new byte[(int) bodyLength];
    readFully(in, body, 0, body.length);
    return ControlJson.fromJson(body);
  }

  private static void readFully(InputStream in, byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      int n = in.read(b, off, len);
      if (n < 0) {
        throw new EOFException("control stream ended inside a frame (" + len + " bytes missing)");
      }
      off += n;
      len -= n;
    }
  }
}
