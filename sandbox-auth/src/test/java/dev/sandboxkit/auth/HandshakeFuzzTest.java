package dev.sandboxkit.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sandboxkit.protocol.FuzzBounds;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Hardening: the guest's handshake checks over 10,000 hostile inputs each — {@link
 * Handshake#verify}, blocking {@link Handshake#read} (random chunking, early EOF, I/O errors, read
 * timeouts) and {@link HandshakeHandler} in an {@link EmbeddedChannel} with frozen time. Every
 * outcome is predicted independently from the bytes: the right role, or a {@link
 * HandshakeException} / {@link HandshakeFailed} with the right reason, never anything else; nothing
 * past byte 33 is consumed by the blocking read; the handler fires exactly one event, forwards the
 * rest intact only on success, and closes the channel on failure; no message names the nonce; no
 * try outlives its deadline.
 */
class HandshakeFuzzTest {
  private static final byte[] NONCE_BYTES = new byte[Nonce.LENGTH];

  static {
    new SplittableRandom(20261127L).nextBytes(NONCE_BYTES);
  }

  private static final Nonce NONCE = Nonce.fromBytes(NONCE_BYTES);
  private static final Duration DEADLINE = Duration.ofMillis(300);

  // ---- inputs ----

  /** One hostile connection prefix per try, built from a jqwik-chosen seed. */
  @Provide
  Arbitrary<byte[]> hostileHandshakes() {
    return Arbitraries.longs().withoutEdgeCases().map(HandshakeFuzzTest::generate);
  }

  static byte[] generate(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    byte[] good = new byte[Handshake.LENGTH];
    System.arraycopy(NONCE_BYTES, 0, good, 0, Nonce.LENGTH);
    good[Nonce.LENGTH] = (byte) r.nextInt(4);
    switch (r.nextInt(8)) {
      case 0: // a good handshake, maybe followed by stream bytes
        return concat(good, bytes(r, 40));
      case 1: // a good nonce with any role byte
        good[Nonce.LENGTH] = (byte) r.nextInt(256);
        return concat(good, bytes(r, 8));
      case 2: { // one to three bits flipped anywhere in the 33 bytes
        for (int i = 0, n = 1 + r.nextInt(3); i < n; i++) {
          good[r.nextInt(Handshake.LENGTH)] ^= (byte) (1 << r.nextInt(8));
        }
        return concat(good, bytes(r, 8));
      }
      case 3: // half a handshake (or less, or one byte short)
        return Arrays.copyOf(good, r.nextInt(Handshake.LENGTH));
      case 4: // nonce shifted by one byte (a classic framing bug)
        return concat(new byte[] {(byte) r.nextInt(256)}, good);
      case 5: // an HTTP request, the most likely stray peer
        return "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      default: // random bytes of any length around 33
        return bytes(r, 80);
    }
  }

  /** What a correct guest must conclude from the first 33 bytes (empty = a role, else the reason). */
  static Optional<HandshakeException.Reason> expectedFailure(byte[] first33OrLess) {
    if (first33OrLess.length < Handshake.LENGTH) {
      return Optional.of(HandshakeException.Reason.SHORT_READ);
    }
    if (!Arrays.equals(first33OrLess, 0, Nonce.LENGTH, NONCE_BYTES, 0, Nonce.LENGTH)) {
      return Optional.of(HandshakeException.Reason.WRONG_NONCE);
    }
    if ((first33OrLess[Nonce.LENGTH] & 0xFF) > 3) {
      return Optional.of(HandshakeException.Reason.UNKNOWN_ROLE);
    }
    return Optional.empty();
  }

  // ---- properties ----

  @Property(tries = 10_000)
  void verifyReturnsTheRoleOrTheRightTypedReason(@ForAll("hostileHandshakes") byte[] input) throws Throwable {
    byte[] exact = input.length > Handshake.LENGTH && (input[0] & 1) == 0 ? Arrays.copyOf(input, Handshake.LENGTH) : input;
    Object outcome = FuzzBounds.within(() -> verifyOutcome(exact));
    Optional<HandshakeException.Reason> expected =
        exact.length != Handshake.LENGTH ? Optional.of(HandshakeException.Reason.SHORT_READ) : expectedFailure(exact);
    if (expected.isEmpty()) {
      assertEquals(ChannelRole.fromWire(exact[Nonce.LENGTH]).orElseThrow(), outcome);
    } else {
      HandshakeException e = assertInstance(HandshakeException.class, outcome);
      assertEquals(expected.get(), e.reason());
      assertNoSecret(e.getMessage());
    }
  }

  @Property(tries = 10_000)
  void blockingReadConsumesAtMost33BytesAndFailsOnlyWithTypedReasons(
      @ForAll("hostileHandshakes") byte[] input, @ForAll long streamSeed) throws Throwable {
    SplittableRandom r = new SplittableRandom(streamSeed);
    int chunk = 1 + r.nextInt(40);
    int failAt = r.nextInt(3) == 0 ? r.nextInt(input.length + 1) : -1;
    boolean timeout = r.nextBoolean();
    HostileStream in = new HostileStream(input, chunk, failAt, timeout);
    Object outcome =
        FuzzBounds.within(
            () -> {
              try {
                return Handshake.read(in, NONCE);
              } catch (HandshakeException e) {
                return e;
              } catch (Throwable t) {
                return fail("read threw " + t + " for " + HexFormat.of().formatHex(input), t);
              }
            });
    assertTrue(in.consumed <= Handshake.LENGTH, "read consumed " + in.consumed + " bytes");
    boolean failedEarly = failAt >= 0 && failAt < Handshake.LENGTH;
    if (failedEarly) {
      HandshakeException e = assertInstance(HandshakeException.class, outcome);
      assertEquals(timeout ? HandshakeException.Reason.DEADLINE : HandshakeException.Reason.SHORT_READ, e.reason());
      assertNoSecret(e.getMessage());
      return;
    }
    Optional<HandshakeException.Reason> expected =
        expectedFailure(Arrays.copyOf(input, Math.min(input.length, Handshake.LENGTH)));
    if (expected.isEmpty()) {
      assertEquals(ChannelRole.fromWire(input[Nonce.LENGTH]).orElseThrow(), outcome);
      assertEquals(Handshake.LENGTH, in.consumed, "exactly the handshake is consumed; the rest is the caller's");
    } else {
      HandshakeException e = assertInstance(HandshakeException.class, outcome);
      assertEquals(expected.get(), e.reason());
      assertNoSecret(e.getMessage());
    }
  }

  @Property(tries = 10_000)
  void handlerFiresExactlyOneEventForwardsOnlyAfterSuccessAndClosesOnFailure(
      @ForAll("hostileHandshakes") byte[] input, @ForAll long deliverySeed) throws Throwable {
    FuzzBounds.within(
        () -> {
          SplittableRandom r = new SplittableRandom(deliverySeed);
          EmbeddedChannel ch = new EmbeddedChannel();
          ch.freezeTime();
          Recorder recorder = new Recorder();
          ch.pipeline().addLast("handshake", new HandshakeHandler(NONCE, DEADLINE)).addLast("recorder", recorder);
          List<ByteBuf> inputs = new ArrayList<>();
          try {
            long waited = 0;
            for (int off = 0; off < input.length && ch.isOpen(); ) {
              int n = Math.min(input.length - off, 1 + r.nextInt(r.nextBoolean() ? 4 : 48));
              ByteBuf b = ByteBufAllocator.DEFAULT.buffer(n).writeBytes(input, off, n);
              inputs.add(b);
              ch.writeInbound(b);
              off += n;
              long step = DEADLINE.toMillis() / 4;
              if (r.nextInt(8) == 0 && waited + step < DEADLINE.toMillis()) {
                // time passes between packets, in total less than the deadline
                waited += step;
                ch.advanceTimeBy(step, TimeUnit.MILLISECONDS);
                ch.runPendingTasks();
              }
            }
            ch.checkException(); // nothing escaped the pipeline
            Optional<HandshakeException.Reason> expected =
                expectedFailure(Arrays.copyOf(input, Math.min(input.length, Handshake.LENGTH)));
            if (input.length < Handshake.LENGTH) {
              assertTrue(recorder.events.isEmpty(), "no verdict before 33 bytes: " + recorder.events);
              assertTrue(ch.isOpen());
              if (r.nextBoolean()) {
                ch.close(); // the peer gives up
                expected = Optional.of(HandshakeException.Reason.SHORT_READ);
              } else {
                ch.advanceTimeBy(DEADLINE.toMillis() - waited - 1, TimeUnit.MILLISECONDS);
                ch.runPendingTasks();
                assertTrue(ch.isOpen() && recorder.events.isEmpty(), "still waiting 1 ms before the deadline");
                ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
                ch.runPendingTasks();
                expected = Optional.of(HandshakeException.Reason.DEADLINE);
              }
            }
            assertEquals(1, recorder.events.size(), "exactly one event: " + recorder.events);
            Object event = recorder.events.get(0);
            if (expected.isEmpty()) {
              assertEquals(new RoleAuthenticated(ChannelRole.fromWire(input[Nonce.LENGTH]).orElseThrow()), event);
              assertArrayEquals(Arrays.copyOfRange(input, Handshake.LENGTH, input.length), recorder.data());
              assertNull(ch.pipeline().get("handshake"), "the handler removed itself");
              assertTrue(ch.isOpen());
              ch.advanceTimeBy(DEADLINE.toMillis() * 10, TimeUnit.MILLISECONDS);
              ch.runPendingTasks();
              assertTrue(ch.isOpen(), "the deadline was cancelled");
              assertEquals(1, recorder.events.size());
            } else {
              assertEquals(new HandshakeFailed(expected.get()), event);
              assertEquals(0, recorder.data().length, "nothing is forwarded from a failed peer");
              assertFalse(ch.isOpen(), "a failed peer is disconnected");
            }
            ch.checkException();
          } finally {
            ch.finishAndReleaseAll();
          }
          for (ByteBuf b : inputs) {
            assertEquals(0, b.refCnt(), "input buffer released");
          }
          return null;
        });
  }

  // ---- helpers ----

  private static Object verifyOutcome(byte[] b) {
    try {
      return Handshake.verify(b, NONCE);
    } catch (HandshakeException e) {
      return e;
    } catch (Throwable t) {
      return fail("verify threw " + t + " for " + HexFormat.of().formatHex(b), t);
    }
  }

  private static <T> T assertInstance(Class<T> type, Object o) {
    assertNotNull(o);
    if (!type.isInstance(o)) {
      fail("expected a " + type.getSimpleName() + ", got " + o);
    }
    return type.cast(o);
  }

  private static void assertNoSecret(String message) {
    String hex = HexFormat.of().formatHex(NONCE_BYTES);
    String lower = message.toLowerCase(java.util.Locale.ROOT);
    assertFalse(lower.contains(hex.substring(0, 16)), "message shows nonce bytes: " + message);
    assertFalse(message.contains(Base64.getEncoder().encodeToString(NONCE_BYTES).substring(0, 12)), message);
  }

  static byte[] bytes(SplittableRandom r, int maxLen) {
    byte[] b = new byte[r.nextInt(maxLen + 1)];
    r.nextBytes(b);
    return b;
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /**
   * Delivers at most {@code chunk} bytes per read; when the read position reaches {@code failAt}
   * it throws a read timeout or a reset instead of returning data. Counts bytes consumed.
   */
  static final class HostileStream extends InputStream {
    private final ByteArrayInputStream in;
    private final int chunk;
    private final int failAt;
    private final boolean timeout;
    int consumed;

    HostileStream(byte[] b, int chunk, int failAt, boolean timeout) {
      this.in = new ByteArrayInputStream(b);
      this.chunk = chunk;
      this.failAt = failAt;
      this.timeout = timeout;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (failAt >= 0 && consumed >= failAt) {
        throw timeout ? new SocketTimeoutException("Read timed out") : new IOException("Connection reset");
      }
      int allowed = failAt >= 0 ? Math.min(len, failAt - consumed) : len;
      int n = in.read(b, off, Math.min(allowed, chunk));
      if (n > 0) {
        consumed += n;
      }
      return n;
    }
  }
}
