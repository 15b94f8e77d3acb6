package dev.sandboxkit.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The 32-byte nonce: exact length, copies, constant-time equality, redaction. */
class NonceTest {
  static byte[] sequential() {
    byte[] b = new byte[Nonce.LENGTH];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (0xA0 + i);
    }
    return b;
  }

  @Test
  void exactly32BytesAreAccepted() {
    assertArrayEquals(sequential(), Nonce.fromBytes(sequential()).toBytes());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 31, 33, 64})
  void anyOtherLengthIsRejectedWithTheLength(int n) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Nonce.fromBytes(new byte[n]));
    assertTrue(e.getMessage().contains("32") && e.getMessage().contains("got " + n), e.getMessage());
  }

  @Test
  void nullIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> Nonce.fromBytes(null));
  }

  @Test
  void bytesAreCopiedInAndOut() {
    byte[] in = sequential();
    Nonce n = Nonce.fromBytes(in);
    in[0] ^= 1;
    assertArrayEquals(sequential(), n.toBytes(), "changing the input does not change the nonce");
    byte[] out = n.toBytes();
    out[5] ^= 1;
    assertArrayEquals(sequential(), n.toBytes(), "changing the output does not change the nonce");
  }

  @Test
  void toStringNeverShowsTheBytes() {
    byte[] b = sequential();
    String s = Nonce.fromBytes(b).toString();
    assertEquals("Nonce[redacted]", s);
    assertNoTraceOf(b, s);
  }

  /** Fails if {@code text} holds the bytes as hex (either case), base64 or decimal. */
  static void assertNoTraceOf(byte[] b, String text) {
    String hex = HexFormat.of().formatHex(b);
    String lower = text.toLowerCase(java.util.Locale.ROOT);
    assertFalse(lower.contains(hex.substring(0, 16)), "hex prefix in: " + text);
    assertFalse(lower.contains(hex.substring(hex.length() - 16)), "hex suffix in: " + text);
    assertFalse(text.contains(Base64.getEncoder().encodeToString(b).substring(0, 12)), "base64 in: " + text);
    assertFalse(text.contains(Base64.getUrlEncoder().withoutPadding().encodeToString(b).substring(0, 12)), "base64url in: " + text);
    String signed = Arrays.toString(b);
    assertFalse(text.contains(signed.substring(1, 20)), "signed decimal in: " + text);
    StringBuilder unsigned = new StringBuilder();
    for (int i = 0; i < 4; i++) {
      unsigned.append(i == 0 ? "" : ", ").append(b[i] & 0xFF);
    }
    assertFalse(text.contains(unsigned), "unsigned decimal in: " + text);
  }

  @Test
  void equalBytesMatchAndAreEqual() {
    Nonce a = Nonce.fromBytes(sequential());
    Nonce b = Nonce.fromBytes(sequential());
    assertTrue(a.matches(sequential(), 0));
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 7})
  void aOneBitDifferenceInTheFirstOrLastByteDoesNotMatch(int bit) {
    Nonce n = Nonce.fromBytes(sequential());
    for (int index : new int[] {0, Nonce.LENGTH - 1}) {
      byte[] other = sequential();
      other[index] ^= (byte) (1 << bit);
      assertFalse(n.matches(other, 0), "byte " + index + " bit " + bit);
      assertNotEquals(n, Nonce.fromBytes(other));
    }
  }

  @Test
  void aTotalMismatchDoesNotMatch() {
    Nonce n = Nonce.fromBytes(sequential());
    byte[] inverted = sequential();
    for (int i = 0; i < inverted.length; i++) {
      inverted[i] = (byte) ~inverted[i];
    }
    assertFalse(n.matches(inverted, 0));
    assertFalse(n.matches(new byte[Nonce.LENGTH], 0));
    assertNotEquals(n, Nonce.fromBytes(inverted));
  }

  @Test
  void matchesReadsAtTheOffsetAndRefusesShortOrNullInput() {
    Nonce n = Nonce.fromBytes(sequential());
    byte[] framed = new byte[3 + Nonce.LENGTH + 1];
    System.arraycopy(sequential(), 0, framed, 3, Nonce.LENGTH);
    assertTrue(n.matches(framed, 3));
    assertFalse(n.matches(framed, 2));
    assertFalse(n.matches(framed, 4), "only 30 bytes left at offset 4");
    assertFalse(n.matches(new byte[31], 0));
    assertFalse(n.matches(null, 0));
    assertFalse(n.matches(sequential(), -1));
  }

  @Test
  void equalsHandlesOtherTypesAndNull() {
    Nonce n = Nonce.fromBytes(sequential());
    assertNotEquals(n, null);
    assertNotEquals(n, (Object) sequential());
    assertEquals(n, n);
  }

  @Test
  void generatedNoncesAre32BytesAndDiffer() throws Exception {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 16; i++) {
      byte[] b = Nonce.generate().toBytes();
      assertEquals(Nonce.LENGTH, b.length);
      assertTrue(seen.add(HexFormat.of().formatHex(b)), "a generated nonce repeated");
    }
    assertNotEquals(Nonce.generate(), Nonce.generate());
  }
}
