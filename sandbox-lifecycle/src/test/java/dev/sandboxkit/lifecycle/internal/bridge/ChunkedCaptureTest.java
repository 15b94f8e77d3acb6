package dev.sandboxkit.lifecycle.internal.bridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChunkedCaptureTest {
  @Test
  void keepsBytesInOrderAcrossChunkBoundaries() {
    int cap = ChunkedCapture.CHUNK * 3 + 17;
    ChunkedCapture c = new ChunkedCapture(cap);
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    Random r = new Random(42);
    int total = 0;
    while (total < cap) {
      byte[] b = new byte[1 + r.nextInt(100_000)];
      r.nextBytes(b);
      int off = r.nextInt(b.length);
      int n = Math.min(b.length - off, cap - total);
      assertEquals(n, c.append(b, off, n));
      expected.write(b, off, n);
      total += n;
    }
    assertEquals(cap, c.size());
    assertArrayEquals(expected.toByteArray(), c.bytes());
  }

  @Test
  void stopsAtTheCapAndSaysHowMuchItKept() {
    ChunkedCapture c = new ChunkedCapture(10);
    assertEquals(6, c.append(new byte[] {1, 2, 3, 4, 5, 6}, 0, 6));
    assertEquals(4, c.append(new byte[] {7, 8, 9, 10, 11, 12}, 0, 6));
    assertEquals(0, c.append(new byte[] {13}, 0, 1));
    assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, c.bytes());
  }

  @Test
  void bytesIsAssembledOnceAndLateAppendsAreDropped() {
    ChunkedCapture c = new ChunkedCapture(100);
    c.append(new byte[] {1, 2}, 0, 2);
    byte[] first = c.bytes();
    assertEquals(3, c.append(new byte[] {3, 4, 5}, 0, 3));
    assertSame(first, c.bytes());
    assertArrayEquals(new byte[] {1, 2}, first);
  }

  @Test
  void emptyAndZeroCap() {
    assertEquals(0, new ChunkedCapture(100).bytes().length);
    ChunkedCapture zero = new ChunkedCapture(0);
    assertEquals(0, zero.append(new byte[] {1}, 0, 1));
    assertEquals(0, zero.bytes().length);
    assertThrows(IllegalArgumentException.class, () -> new ChunkedCapture(-1));
  }
}
