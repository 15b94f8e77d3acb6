package dev.sandboxkit.cli;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * One captured output stream of {@code run --json}: keeps the first {@code cap} bytes in fixed-size
 * chunks (no doubling copy, so the host holds at most {@code cap} bytes plus one chunk per stream)
 * and counts, but drops, the rest. It never blocks the writer: a command that prints more than the
 * cap keeps running and its output is drained, as mxc cuts its capture.
 *
 * <p>One writer thread (the library's drain for that stream), then one reader after the run.
 */
final class BoundedCapture extends OutputStream {
  /** 64 KiB: the relay's own buffer size, so a full chunk is filled by one or two writes. */
  static final int CHUNK = 64 * 1024;

  private final long cap;
  private final List<byte[]> chunks = new ArrayList<>();
  private int lastFill = CHUNK;
  private long retained;
  private long total;

  BoundedCapture(long cap) {
    if (cap < 0) {
      throw new IllegalArgumentException("cap must be >= 0, got " + cap);
    }
    this.cap = cap;
  }

  long cap() {
    return cap;
  }

  @Override
  public synchronized void write(int b) {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) {
    java.util.Objects.checkFromIndexSize(off, len, b.length);
    total += len;
    int keep = (int) Math.min(len, cap - retained);
    while (keep > 0) {
      if (lastFill == CHUNK) {
        chunks.add(new byte[(int) Math.min(CHUNK, cap - retained)]);
        lastFill = 0;
      }
      byte[] last = chunks.get(chunks.size() - 1);
      int n = Math.min(keep, last.length - lastFill);
      System.arraycopy(b, off, last, lastFill, n);
      lastFill += n;
      if (lastFill == last.length) {
        lastFill = CHUNK; // full (the last chunk may be shorter than CHUNK when the cap ends in it)
      }
      off += n;
      keep -= n;
      retained += n;
    }
  }

  /** Bytes kept. */
  synchronized long retained() {
    return retained;
  }

  /** Bytes written in all, kept or not. */
  synchronized long total() {
    return total;
  }

  /** True when bytes were dropped. */
  synchronized boolean truncated() {
    return total > retained;
  }

  /** The kept bytes, in order (read after the writer has finished). */
  synchronized InputStream read() {
    List<byte[]> snapshot = List.copyOf(chunks);
    long size = retained;
    return new InputStream() {
      private int chunk;
      private int pos;
      private long left = size;

      @Override
      public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (left == 0) {
          return -1;
        }
        if (len == 0) {
          return 0;
        }
        byte[] c = snapshot.get(chunk);
        int avail = (int) Math.min(c.length - pos, left);
        int n = Math.min(len, avail);
        System.arraycopy(c, pos, b, off, n);
        pos += n;
        left -= n;
        if (pos == c.length) {
          chunk++;
          pos = 0;
        }
        return n;
      }
    };
  }
}
