package dev.sandboxkit.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The 8-byte WSBP preamble: magic checked first, then the version, both values in messages. */
class PreambleTest {

  @Test
  void bytesAreMagicThenVersionOneLittleEndianAndFresh() throws Exception {
    byte[] b = Preamble.bytes();
    assertArrayEquals(new byte[] {'W', 'S', 'B', 'P', 1, 0, 0, 0}, b);
    assertEquals(1, Preamble.validate(b));
    b[0] = 0;
    assertNotSame(b, Preamble.bytes());
    assertEquals('W', Preamble.bytes()[0]);
  }

  @Test
  void firstByteFlippedIsBadMagic() {
    byte[] b = Preamble.bytes();
    b[0] ^= 0x01;
    BadPreambleException e = assertThrows(BadPreambleException.class, () -> Preamble.validate(b));
    assertEquals(BadPreambleException.Kind.BAD_MAGIC, e.kind());
    assertTrue(e.getMessage().contains("56534250"), e.getMessage());
  }

  @Test
  void badMagicWinsOverAWrongVersion() {
    byte[] b = "HTTP/1.1".getBytes(StandardCharsets.US_ASCII);
    BadPreambleException e = assertThrows(BadPreambleException.class, () -> Preamble.validate(b));
    assertEquals(BadPreambleException.Kind.BAD_MAGIC, e.kind());
    assertTrue(e.getMessage().contains("48545450") && e.getMessage().contains("57534250"), e.getMessage());
  }

  @Test
  void versionIsReadUnsignedLittleEndian() {
    byte[] b = {'W', 'S', 'B', 'P', (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
    BadPreambleException e = assertThrows(BadPreambleException.class, () -> Preamble.validate(b));
    assertEquals(BadPreambleException.Kind.VERSION_MISMATCH, e.kind());
    assertTrue(e.getMessage().contains("expected 1, got 4294967295"), e.getMessage());
    byte[] bigEndianOne = {'W', 'S', 'B', 'P', 0, 0, 0, 1};
    BadPreambleException e2 = assertThrows(BadPreambleException.class, () -> Preamble.validate(bigEndianOne));
    assertTrue(e2.getMessage().contains("got 16777216"), e2.getMessage());
    byte[] zero = {'W', 'S', 'B', 'P', 0, 0, 0, 0};
    assertTrue(assertThrows(BadPreambleException.class, () -> Preamble.validate(zero)).getMessage().contains("got 0"));
  }

  @Test
  void wrongLengthOrNullIsRejectedWithTheLength() {
    assertTrue(assertThrows(BadPreambleException.class, () -> Preamble.validate(new byte[7])).getMessage().contains("got 7"));
    assertTrue(assertThrows(BadPreambleException.class, () -> Preamble.validate(new byte[9])).getMessage().contains("got 9"));
    assertThrows(BadPreambleException.class, () -> Preamble.validate(null));
  }
}
