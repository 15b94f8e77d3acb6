package dev.sandboxkit.lifecycle.internal.bridge;

import java.util.ArrayList;
import java.util.List;

/**
 * A capped byte capture kept as a list of chunks and assembled once into an exactly sized array, so
 * capturing N bytes needs about N bytes of heap while reading and 2N for the moment of assembly
 * (a {@code ByteArrayOutputStream} needs up to 2N while growing and 3N for {@code toByteArray}).
 * The chunks are released once assembled. Thread-safe.
 */
final class ChunkedCapture {
  /** Chunk size: large enough that a 64 MiB capture is a few hundred arrays. */
  static final int CHUNK = 256 * 1024;

  private final int cap;
  private final List<byte[]> chunks = new ArrayList<>();
  private byte[] current;
  private int used;
  private int size;
  private byte[] assembled;

  ChunkedCapture(int cap) {
    if (cap < 0) {
      throw new IllegalArgumentException("cap must be >= 0, got " + cap);
    }
    this.cap = cap;
  }

  /**
   * Appends up to the cap.
   *
   * @return how many of the {@code n} bytes were kept (less than {@code n} once the cap is reached);
   *     after {@link #bytes()} nothing is kept and {@code n} is returned
   */
  synchronized int append(byte[] b, int off, int n) {
    if (assembled != null) {
      return n; // a late read after the result was taken (the channel is being cut): dropped
    }
    int take = Math.min(n, cap - size);
    int done = 0;
    while (done < take) {
      if (current == null || used == current.length) {
        current = new byte[Math.min(CHUNK, cap - size)];
        chunks.add(current);
        used = 0;
      }
      int k = Math.min(take - done, current.length - used);
      System.arraycopy(b, off + done, current, used, k);
      used += k;
      done += k;
      size += k;
    }
    return take;
  }

  synchronized int size() {
    return size;
  }

  /** The captured bytes (the same array on every call; the chunks are dropped on the first). */
  synchronized byte[] bytes() {
    if (assembled == null) {
      byte[] out = new byte[size];
      int pos = 0;
      for (byte[] c : chunks) {
        int k = Math.min(c.length, size - pos);
        System.arraycopy(c, 0, out, pos, k);
        pos += k;
      }
      chunks.clear();
      current = null;
      assembled = out;
    }
    return assembled;
  }
}
