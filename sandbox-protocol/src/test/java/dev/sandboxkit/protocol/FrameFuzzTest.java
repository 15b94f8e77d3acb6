package dev.sandboxkit.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Hardening: the three frame decoders (pure {@link FrameCodec#decode}, blocking {@link
 * FrameCodec#readFrame}, Netty {@link ControlFrameDecoder} + {@link ControlMessageDecoder}) over
 * 10,000 hostile inputs each: mutated real frames, boundary headers, JSON-ish and random bodies,
 * delivered in random chunks. Each may only answer with a message, "incomplete"/EOF where
 * documented, or a {@link ProtocolException}; never hangs (per-try deadline); never allocates far
 * beyond its input; and an over-limit header is rejected from the 4 header bytes alone.
 */
class FrameFuzzTest {
  /** Fixed slack for exceptions, Jackson parser state and first-use class init, per call. */
  private static final long ALLOC_SLACK = 2L * 1024 * 1024;

  /**
   * EmbeddedChannel logs every exception after the first of one write at WARNING with a stack
   * trace; thousands of expected rejections would flood the build log and dominate the run time.
   */
  private static final java.util.logging.Logger EMBEDDED_LOG =
      java.util.logging.Logger.getLogger("io.netty.channel.embedded.EmbeddedChannel");

  static {
    EMBEDDED_LOG.setLevel(java.util.logging.Level.OFF);
  }

  @AfterContainer
  static void noLeakedBuffers() throws InterruptedException {
    LeakWatch.assertNoReportedLeaks();
  }

  // ---- generators ----

  /** One hostile input per try, built from a jqwik-chosen seed (see {@link HostileFrames}). */
  @Provide
  Arbitrary<byte[]> hostileFrames() {
    return Arbitraries.longs().withoutEdgeCases().map(HostileFrames::generate);
  }

  /**
   * How the Netty pipeline receives the input. Mostly coarse chunks: under paranoid leak detection
   * every buffer costs a stack capture, and byte-by-byte delivery is covered by NettyCodecTest.
   */
  @Provide
  Arbitrary<Integer> chunkSizes() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1, 4)),
        net.jqwik.api.Tuple.of(4, Arbitraries.integers().between(5, 64)),
        net.jqwik.api.Tuple.of(3, Arbitraries.just(Integer.MAX_VALUE)));
  }

  // ---- properties ----

  @Property(tries = 10_000)
  void pureDecodeGivesAMessageIncompleteOrAProtocolException(@ForAll("hostileFrames") byte[] input) throws Throwable {
    FuzzBounds.within(
        () -> {
          for (ByteBuffer view : List.of(ByteBuffer.wrap(input), direct(input))) {
            long before = FuzzBounds.allocatedBytes();
            try {
              DecodeResult r = FrameCodec.decode(view);
              checkResult(input, r);
            } catch (FrameTooLongException e) {
              assertTrue(input.length >= 4 && declared(input) > FrameCodec.MAX_FRAME_LENGTH, e.getMessage());
              assertEquals(declared(input), e.length());
            } catch (ProtocolException expected) {
              assertTrue(input.length >= 4 && declared(input) <= input.length - 4, "only whole frames are parsed");
            } catch (Throwable t) {
              fail("decode threw " + t + " for " + HexFormat.of().formatHex(input), t);
            }
            assertAllocationBounded(before, 2L * input.length, input);
            assertEquals(0, view.position(), "decode does not move the position");
          }
          return null;
        });
  }

  @Property(tries = 10_000)
  void readFrameGivesAMessageNullEofOrAProtocolException(
      @ForAll("hostileFrames") byte[] input, @ForAll @IntRange(min = 1, max = 64) int chunk) throws Throwable {
    FuzzBounds.within(
        () -> {
          ChunkedInputStream in = new ChunkedInputStream(input, chunk);
          long before = FuzzBounds.allocatedBytes();
          try {
            ControlMessage m = FrameCodec.readFrame(in);
            if (m == null) {
              assertEquals(0, input.length, "null only on a clean end of stream");
            } else {
              assertEquals(4 + declared(input), in.consumed, "a message consumes exactly one frame");
            }
          } catch (FrameTooLongException e) {
            assertEquals(4, in.consumed, "rejected from the header alone");
            assertTrue(declared(input) > FrameCodec.MAX_FRAME_LENGTH);
          } catch (EOFException e) {
            assertTrue(input.length > 0, "EOF only inside a frame");
            assertTrue(input.length < 4 || 4 + declared(input) > input.length, "EOF only when the frame is cut short");
          } catch (ProtocolException expected) {
            // malformed body
          } catch (Throwable t) {
            fail("readFrame threw " + t + " for " + HexFormat.of().formatHex(input), t);
          }
          // readFrame sizes the body from the (checked) header: bounded by the limit, never more.
          assertAllocationBounded(before, FrameCodec.MAX_FRAME_LENGTH + 2L * input.length, input);
          return null;
        });
  }

  @Property(tries = 10_000)
  void nettyDecodersOnlyRaiseProtocolExceptionsAndAgreeWithThePureCodec(
      @ForAll("hostileFrames") byte[] input, @ForAll("chunkSizes") int chunk) throws Throwable {
    FuzzBounds.within(
        () -> {
          MaxRequestAllocator alloc = new MaxRequestAllocator();
          EmbeddedChannel ch = new EmbeddedChannel(new ControlFrameDecoder(), new ControlMessageDecoder());
          ch.config().setAllocator(alloc);
          LeakWatch leaks = new LeakWatch();
          List<Object> out = new ArrayList<>();
          boolean tooLong = false;
          try {
            for (int off = 0; off < input.length; off += Math.min(chunk, input.length)) {
              ByteBuf b = leaks.buf(input, off, Math.min(chunk, input.length - off));
              try {
                ch.writeInbound(b);
              } catch (DecoderException e) {
                if (!(e.getCause() instanceof ProtocolException)) {
                  fail("decoder raised " + e + " for " + HexFormat.of().formatHex(input), e);
                }
                tooLong |= e.getCause() instanceof FrameTooLongException;
              }
              for (Object m; (m = ch.readInbound()) != null; ) {
                out.add(m);
              }
            }
          } finally {
            ch.finishAndReleaseAll();
          }
          leaks.assertAllReleased();
          for (Object m : out) {
            assertTrue(m instanceof ControlMessage, "only messages come out: " + m);
          }
          List<ControlMessage> pure = pureDecodeUntilFirstProblem(input);
          assertTrue(out.size() >= pure.size(), "Netty decoded fewer frames than the pure codec");
          assertEquals(pure, out.subList(0, pure.size()), "Netty and the pure codec agree");
          if (tooLong) {
            assertTrue(alloc.maxRequested <= Math.max(256, 2L * input.length), "buffered " + alloc.maxRequested);
          }
          // Cumulation grows with what arrived, never with what a header declared.
          assertTrue(
              alloc.maxRequested <= Math.max(4096, 2L * input.length),
              "requested a " + alloc.maxRequested + "-byte buffer for " + input.length + " input bytes");
          return null;
        });
  }

  @Property(tries = 10_000)
  void aDeclaredLengthOverTheLimitIsRejectedFromTheHeaderAlone(
      @ForAll @LongRange(min = FrameCodec.MAX_FRAME_LENGTH + 1L, max = 0xFFFF_FFFFL) long declared,
      @ForAll @IntRange(min = 0, max = 64) int bodyBytes,
      @ForAll @IntRange(min = 1, max = 5) int chunk) throws Throwable {
    byte[] input = concat(header(declared), new byte[bodyBytes]);
    FuzzBounds.within(
        () -> {
          long before = FuzzBounds.allocatedBytes();
          try {
            FrameCodec.decode(input, 0, 4);
            fail("pure decode accepted a header declaring " + declared);
          } catch (FrameTooLongException e) {
            assertEquals(declared, e.length());
            assertTrue(e.getMessage().contains(String.valueOf(declared)), e.getMessage());
          }
          ChunkedInputStream in = new ChunkedInputStream(input, chunk);
          try {
            FrameCodec.readFrame(in);
            fail("readFrame accepted a header declaring " + declared);
          } catch (FrameTooLongException e) {
            assertEquals(4, in.consumed, "no body byte was read");
          }
          assertAllocationBounded(before, 0, input);

          MaxRequestAllocator alloc = new MaxRequestAllocator();
          EmbeddedChannel ch = new EmbeddedChannel(new ControlFrameDecoder(), new ControlMessageDecoder());
          ch.config().setAllocator(alloc);
          LeakWatch leaks = new LeakWatch();
          int raised = 0;
          for (int off = 0; off < input.length; off += chunk) {
            try {
              ch.writeInbound(leaks.buf(input, off, Math.min(chunk, input.length - off)));
            } catch (DecoderException e) {
              assertTrue(e.getCause() instanceof FrameTooLongException, String.valueOf(e.getCause()));
              assertTrue(off < 4, "raised as soon as the 4 header bytes arrived (chunk at " + off + ")");
              raised++;
            }
          }
          assertEquals(1, raised, "raised exactly once");
          assertNull(ch.readInbound());
          ch.finishAndReleaseAll();
          leaks.assertAllReleased();
          assertTrue(alloc.maxRequested <= 256, "buffered " + alloc.maxRequested + " bytes");
          return null;
        });
  }

  // ---- helpers ----

  private static void checkResult(byte[] input, DecodeResult r) {
    if (r instanceof DecodeResult.Decoded d) {
      assertEquals(4 + declared(input), d.consumed());
      assertTrue(d.consumed() <= input.length);
    } else {
      assertTrue(
          input.length < 4 || (declared(input) <= FrameCodec.MAX_FRAME_LENGTH && 4 + declared(input) > input.length),
          "incomplete only when a frame is cut short");
    }
  }

  private static List<ControlMessage> pureDecodeUntilFirstProblem(byte[] input) {
    List<ControlMessage> out = new ArrayList<>();
    int off = 0;
    while (true) {
      try {
        DecodeResult r = FrameCodec.decode(input, off, input.length - off);
        if (!(r instanceof DecodeResult.Decoded d)) {
          return out;
        }
        out.add(d.message());
        off += d.consumed();
      } catch (ProtocolException e) {
        return out;
      }
    }
  }

  private static void assertAllocationBounded(long before, long allowed, byte[] input) {
    long used = FuzzBounds.allocatedBytes() - before;
    if (used > allowed + ALLOC_SLACK) {
      fail("allocated " + used + " bytes (allowed " + (allowed + ALLOC_SLACK) + ") for " + input.length
          + " input bytes declaring " + (input.length >= 4 ? declared(input) : -1));
    }
  }

  static long declared(byte[] input) {
    return LittleEndian.getU32(input, 0);
  }

  static byte[] header(long length) {
    byte[] h = new byte[4];
    LittleEndian.putU32(h, 0, length);
    return h;
  }

  private static ByteBuffer direct(byte[] b) {
    ByteBuffer d = ByteBuffer.allocateDirect(Math.max(1, b.length));
    d.put(b).flip();
    return d;
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int off = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, off, p.length);
      off += p.length;
    }
    return out;
  }

  /** Delivers at most {@code chunk} bytes per read and counts what was consumed. */
  static final class ChunkedInputStream extends InputStream {
    private final ByteArrayInputStream in;
    private final int chunk;
    long consumed;

    ChunkedInputStream(byte[] b, int chunk) {
      this.in = new ByteArrayInputStream(b);
      this.chunk = chunk;
    }

    @Override
    public int read() {
      int b = in.read();
      if (b >= 0) {
        consumed++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, Math.min(len, chunk));
      if (n > 0) {
        consumed += n;
      }
      return n;
    }
  }

  /** Records the largest buffer the decoders ask for (cumulation included); heap, unpooled. */
  static final class MaxRequestAllocator extends AbstractByteBufAllocator {
    long maxRequested;

    MaxRequestAllocator() {
      super(false);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
      maxRequested = Math.max(maxRequested, initialCapacity);
      return new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
      return newHeapBuffer(initialCapacity, maxCapacity);
    }

    @Override
    public boolean isDirectBufferPooled() {
      return false;
    }
  }
}
