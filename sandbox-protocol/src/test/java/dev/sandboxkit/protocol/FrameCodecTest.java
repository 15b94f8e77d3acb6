package dev.sandboxkit.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The pure frame codec: buffers, streams, limits. */
class FrameCodecTest {
  private static final int MAX = FrameCodec.MAX_FRAME_LENGTH;

  @Test
  void headerIsTheUnsignedLittleEndianJsonLength() throws Exception {
    for (GoldenVectors.Frame f : GoldenVectors.frames()) {
      byte[] frame = FrameCodec.encode(GoldenVectors.expected(f));
      assertEquals(frame.length - 4, LittleEndian.getU32(frame, 0));
    }
    assertEquals(16 * 1024 * 1024, MAX);
    assertEquals(4, FrameCodec.HEADER_LENGTH);
  }

  @Test
  void emptyBufferAndEveryProperPrefixAreIncomplete() throws Exception {
    byte[] frame = FrameCodec.encode(new ControlMessage.Exec("id", "echo hi", "", 5));
    for (int n = 0; n < frame.length; n++) {
      assertEquals(DecodeResult.INCOMPLETE, FrameCodec.decode(frame, 0, n), "prefix " + n);
    }
  }

  @Test
  void severalFramesInOneBufferDecodeInTurnUsingConsumed() throws Exception {
    byte[] all = GoldenVectors.allFramesConcatenated();
    int off = 0;
    for (GoldenVectors.Frame f : GoldenVectors.frames()) {
      DecodeResult.Decoded d = (DecodeResult.Decoded) FrameCodec.decode(all, off, all.length - off);
      assertEquals(GoldenVectors.expected(f), d.message());
      assertEquals(f.frame().length, d.consumed());
      off += d.consumed();
    }
    assertEquals(all.length, off);
    assertEquals(DecodeResult.INCOMPLETE, FrameCodec.decode(all, off, 0));
  }

  @Test
  void byteBufferDecodeDoesNotMoveThePositionAndHonoursOffsets() throws Exception {
    byte[] ping = FrameCodec.encode(ControlMessage.PING);
    byte[] padded = new byte[ping.length + 10];
    System.arraycopy(ping, 0, padded, 7, ping.length);

    ByteBuffer heap = ByteBuffer.wrap(padded, 7, ping.length).slice(); // arrayOffset 7
    assertEquals(new DecodeResult.Decoded(ControlMessage.PING, ping.length), FrameCodec.decode(heap));
    assertEquals(0, heap.position());

    ByteBuffer positioned = ByteBuffer.wrap(padded);
    positioned.position(7);
    assertEquals(new DecodeResult.Decoded(ControlMessage.PING, ping.length), FrameCodec.decode(positioned));
    assertEquals(7, positioned.position());

    ByteBuffer direct = ByteBuffer.allocateDirect(padded.length).put(padded);
    direct.position(7).limit(7 + ping.length);
    assertEquals(new DecodeResult.Decoded(ControlMessage.PING, ping.length), FrameCodec.decode(direct));
    assertEquals(7, direct.position());

    ByteBuffer readOnly = ByteBuffer.wrap(ping).asReadOnlyBuffer();
    assertEquals(new DecodeResult.Decoded(ControlMessage.PING, ping.length), FrameCodec.decode(readOnly));

    ByteBuffer partial = ByteBuffer.wrap(ping, 0, ping.length - 1);
    assertEquals(DecodeResult.INCOMPLETE, FrameCodec.decode(partial));
  }

  @Test
  void overLimitHeaderIsRejectedFromTheHeaderAloneAndExactlyTheLimitWaits() throws Exception {
    byte[] header = new byte[4];
    LittleEndian.putU32(header, 0, MAX + 1L);
    assertEquals(MAX + 1L, assertThrows(FrameTooLongException.class, () -> FrameCodec.decode(header, 0, 4)).length());
    LittleEndian.putU32(header, 0, 0xFFFF_FFFFL);
    FrameTooLongException e = assertThrows(FrameTooLongException.class, () -> FrameCodec.decode(header, 0, 4));
    assertEquals(0xFFFF_FFFFL, e.length(), "read unsigned");
    LittleEndian.putU32(header, 0, MAX);
    assertEquals(DecodeResult.INCOMPLETE, FrameCodec.decode(header, 0, 4));
    FrameCodec.checkLength(MAX);
    assertThrows(FrameTooLongException.class, () -> FrameCodec.checkLength(MAX + 1L));
  }

  @Test
  void encoderRefusesAScriptOver16MiBAndTheCodecAcceptsExactly16MiB() throws Exception {
    ControlMessage.Exec exact = BigFrames.execWithJsonLength(MAX);
    byte[] frame = FrameCodec.encode(exact);
    assertEquals(MAX + 4, frame.length);
    assertEquals(MAX, LittleEndian.getU32(frame, 0));
    assertEquals(new DecodeResult.Decoded(exact, MAX + 4), FrameCodec.decode(frame, 0, frame.length));
    assertEquals(exact, FrameCodec.readFrame(new ByteArrayInputStream(frame)));

    ControlMessage.Exec over = BigFrames.execWithJsonLength(MAX + 1);
    FrameTooLongException e = assertThrows(FrameTooLongException.class, () -> FrameCodec.encode(over));
    assertEquals(MAX + 1L, e.length());
    assertTrue(e.getMessage().contains("16777217") && e.getMessage().contains("16777216"), e.getMessage());

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThrows(FrameTooLongException.class, () -> FrameCodec.writeFrame(out, over));
    assertEquals(0, out.size(), "nothing is written for a refused frame");
  }

  @Test
  void writeFrameWritesTheEncodedBytesAndFlushes() throws Exception {
    boolean[] flushed = {false};
    ByteArrayOutputStream out =
        new ByteArrayOutputStream() {
          @Override
          public void flush() {
            flushed[0] = true;
          }
        };
    for (GoldenVectors.Frame f : GoldenVectors.frames()) {
      FrameCodec.writeFrame(out, GoldenVectors.expected(f));
    }
    assertArrayEquals(GoldenVectors.allFramesConcatenated(), out.toByteArray());
    assertTrue(flushed[0]);
  }

  @Test
  void readFrameReadsFramesInTurnThenNullOnCleanEof() throws Exception {
    InputStream in = new TrickleInputStream(new ByteArrayInputStream(GoldenVectors.allFramesConcatenated()));
    for (GoldenVectors.Frame f : GoldenVectors.frames()) {
      assertEquals(GoldenVectors.expected(f), FrameCodec.readFrame(in));
    }
    assertNull(FrameCodec.readFrame(in));
    assertNull(FrameCodec.readFrame(new ByteArrayInputStream(new byte[0])));
  }

  @Test
  void readFrameReportsEofInsideTheHeaderAndInsideTheBody() throws Exception {
    byte[] frame = FrameCodec.encode(new ControlMessage.Exit("e", 1, "m"));
    for (int cut = 1; cut < frame.length; cut++) {
      InputStream in = new ByteArrayInputStream(Arrays.copyOf(frame, cut));
      EOFException e = assertThrows(EOFException.class, () -> FrameCodec.readFrame(in), "cut at " + cut);
      assertTrue(e.getMessage().contains("bytes missing"), e.getMessage());
    }
  }

  @Test
  void readFrameRejectsAnOverLimitHeaderWithoutReadingTheBody() throws Exception {
    byte[] header = new byte[4];
    LittleEndian.putU32(header, 0, MAX + 1L);
    CountingInputStream in = new CountingInputStream(new ByteArrayInputStream(concat(header, new byte[1000])));
    assertThrows(FrameTooLongException.class, () -> FrameCodec.readFrame(in));
    assertEquals(4, in.count, "only the header was read");
  }

  @Test
  void readFrameRejectsMalformedBodies() {
    for (GoldenVectors.Vector v : GoldenVectors.mustReject()) {
      if (v.name().startsWith("bad_preamble") || v.name().equals("frame_too_large")) {
        continue;
      }
      assertThrows(MalformedFrameException.class, () -> FrameCodec.readFrame(new ByteArrayInputStream(v.bytes())), v.name());
    }
  }

  @Test
  void exceptionsAreProtocolExceptionsAndIoExceptions() {
    assertTrue(IOException.class.isAssignableFrom(ProtocolException.class));
    for (Class<?> c : new Class<?>[] {FrameTooLongException.class, MalformedFrameException.class, BadPreambleException.class}) {
      assertTrue(ProtocolException.class.isAssignableFrom(c), c.getName());
    }
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] r = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  /** Returns at most 3 bytes per read, so frames arrive in pieces. */
  static final class TrickleInputStream extends FilterInputStream {
    TrickleInputStream(InputStream in) {
      super(in);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return super.read(b, off, Math.min(len, 3));
    }
  }

  /** Counts the bytes handed out. */
  static final class CountingInputStream extends FilterInputStream {
    long count;

    CountingInputStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }
}
