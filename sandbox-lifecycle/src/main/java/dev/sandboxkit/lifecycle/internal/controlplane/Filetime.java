package dev.sandboxkit.lifecycle.internal.controlplane;

import java.time.Instant;

/**
 * Windows FILETIME conversions: 100 ns ticks since 1601-01-01T00:00:00Z.
 *
 * <p>sandboxkit stores every process creation time as a FILETIME, on Linux too, so markers are
 * byte-compatible with mxc's ({@code creation_time: u64}). Values are held in a signed {@code long};
 * negative values (beyond year 30828 as unsigned) are rejected.
 */
public final class Filetime {

  /** FILETIME of the Unix epoch 1970-01-01T00:00:00Z. */
  public static final long UNIX_EPOCH = 116_444_736_000_000_000L;

  /** 100 ns ticks per second. */
  public static final long TICKS_PER_SECOND = 10_000_000L;

  private Filetime() {
  }

  /**
   * Converts an instant to a FILETIME, truncating below 100 ns (towards the past).
   *
   * @throws IllegalArgumentException if the instant is before 1601-01-01 or does not fit in 63 bits
   */
  public static long fromInstant(Instant instant) {
    try {
      long ticks = Math.addExact(
          Math.multiplyExact(instant.getEpochSecond(), TICKS_PER_SECOND),
          instant.getNano() / 100);
      long filetime = Math.addExact(ticks, UNIX_EPOCH);
      if (filetime < 0) {
        throw new IllegalArgumentException("instant " + instant + " is before the FILETIME epoch 1601-01-01");
      }
      return filetime;
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("instant " + instant + " does not fit in a FILETIME", e);
    }
  }

  /**
   * Converts a FILETIME to an instant (exact, 100 ns resolution).
   *
   * @throws IllegalArgumentException if {@code filetime} is negative
   */
  public static Instant toInstant(long filetime) {
    if (filetime < 0) {
      throw new IllegalArgumentException("FILETIME " + Long.toUnsignedString(filetime)
          + " is out of range (must be 0.." + Long.MAX_VALUE + ")");
    }
    long sinceUnix = filetime - UNIX_EPOCH;
    long seconds = Math.floorDiv(sinceUnix, TICKS_PER_SECOND);
    long ticks = Math.floorMod(sinceUnix, TICKS_PER_SECOND);
    return Instant.ofEpochSecond(seconds, ticks * 100);
  }

  /** FILETIME from a Unix millisecond timestamp (what the JDK's {@code startInstant} carries on Windows). */
  public static long fromEpochMillis(long epochMillis) {
    return fromInstant(Instant.ofEpochMilli(epochMillis));
  }
}
