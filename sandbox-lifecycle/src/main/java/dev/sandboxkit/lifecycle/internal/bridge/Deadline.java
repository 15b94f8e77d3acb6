package dev.sandboxkit.lifecycle.internal.bridge;

import java.time.Duration;

/** An absolute monotonic deadline; {@link #NONE} never expires. */
public final class Deadline {
  public static final Deadline NONE = new Deadline(Long.MAX_VALUE, true);

  private final long at;
  private final boolean infinite;

  private Deadline(long at, boolean infinite) {
    this.at = at;
    this.infinite = infinite;
  }

  public static Deadline after(Duration d) {
    long nanos;
    try {
      nanos = d.toNanos();
    } catch (ArithmeticException e) {
      return NONE;
    }
    return new Deadline(System.nanoTime() + nanos, false);
  }

  public boolean isInfinite() {
    return infinite;
  }

  /** Remaining millis, at least 1 while not expired; 0 once expired; Long.MAX_VALUE when infinite. */
  public long remainingMillis() {
    if (infinite) {
      return Long.MAX_VALUE;
    }
    long rem = at - System.nanoTime();
    if (rem <= 0) {
      return 0;
    }
    return Math.max(1, (rem + 999_999) / 1_000_000);
  }

  public boolean expired() {
    return !infinite && at - System.nanoTime() <= 0;
  }

  /** The earlier of the two. */
  public Deadline min(Deadline other) {
    if (infinite) {
      return other;
    }
    if (other.infinite) {
      return this;
    }
    return at - other.at <= 0 ? this : other;
  }
}
