package dev.sandboxkit.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.HexFormat;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Hardening: {@link Preamble#validate} over 10,000 hostile inputs (random bytes of any length near
 * 8, and the real preamble with bytes flipped, cut or extended). Exactly the real preamble is
 * accepted; everything else is a {@link BadPreambleException} of the right kind whose message names
 * what was received; nothing else is ever thrown and no call outlives the per-try deadline.
 */
class PreambleFuzzTest {

  @Provide
  Arbitrary<byte[]> hostilePreambles() {
    Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(16);
    Arbitrary<byte[]> flipped =
        Arbitraries.integers()
            .between(0, Preamble.LENGTH - 1)
            .list()
            .ofMinSize(1)
            .ofMaxSize(3)
            .flatMap(
                positions ->
                    Arbitraries.bytes()
                        .map(
                            x -> {
                              byte[] b = Preamble.bytes();
                              for (int p : positions) {
                                b[p] ^= (byte) (x == 0 ? 1 : x);
                              }
                              return b;
                            }));
    Arbitrary<byte[]> resized =
        Arbitraries.integers().between(0, 16).map(n -> Arrays.copyOf(Preamble.bytes(), n));
    Arbitrary<byte[]> otherVersions =
        Arbitraries.longs()
            .between(0, 0xFFFF_FFFFL)
            .map(
                v -> {
                  byte[] b = Preamble.bytes();
                  LittleEndian.putU32(b, 4, v);
                  return b;
                });
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, random),
        net.jqwik.api.Tuple.of(3, flipped),
        net.jqwik.api.Tuple.of(1, resized),
        net.jqwik.api.Tuple.of(3, otherVersions),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(Preamble.bytes())));
  }

  @Property(tries = 10_000)
  void onlyTheRealPreambleIsAcceptedAndEveryRejectionIsTyped(@ForAll("hostilePreambles") byte[] input)
      throws Throwable {
    byte[] copy = input.clone();
    Object outcome =
        FuzzBounds.within(
            () -> {
              try {
                return Preamble.validate(input);
              } catch (BadPreambleException e) {
                return e;
              } catch (Throwable t) {
                return fail("validate threw " + t + " for " + HexFormat.of().formatHex(input), t);
              }
            });
    assertArrayEquals(copy, input, "validate never modifies its input");
    boolean real = Arrays.equals(input, Preamble.bytes());
    if (outcome instanceof Integer v) {
      assertTrue(real, "accepted something that is not the preamble: " + HexFormat.of().formatHex(input));
      assertEquals(Preamble.VERSION, v);
      return;
    }
    BadPreambleException e = (BadPreambleException) outcome;
    assertTrue(!real, "rejected the real preamble: " + e.getMessage());
    String msg = e.getMessage();
    if (input.length != Preamble.LENGTH) {
      assertEquals(BadPreambleException.Kind.BAD_MAGIC, e.kind());
      assertTrue(msg.contains(String.valueOf(input.length)), msg);
    } else if (!Arrays.equals(input, 0, 4, Preamble.bytes(), 0, 4)) {
      assertEquals(BadPreambleException.Kind.BAD_MAGIC, e.kind(), "bad magic wins over a bad version");
      assertTrue(msg.contains(HexFormat.of().formatHex(input, 0, 4)), "names the magic received: " + msg);
    } else {
      assertEquals(BadPreambleException.Kind.VERSION_MISMATCH, e.kind());
      assertTrue(msg.contains(String.valueOf(LittleEndian.getU32(input, 4))), "names the version received: " + msg);
      assertTrue(msg.contains(String.valueOf(Preamble.VERSION)), "names the expected version: " + msg);
    }
  }

  @Test
  void nullIsATypedRejectionToo() {
    try {
      Preamble.validate(null);
      fail("accepted null");
    } catch (BadPreambleException e) {
      assertEquals(BadPreambleException.Kind.BAD_MAGIC, e.kind());
    }
  }
}
