package dev.sandboxkit.lifecycle.internal.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class FiletimeTest {

  @Test
  void unixEpochIsTheKnownOffset() {
    assertEquals(116_444_736_000_000_000L, Filetime.fromInstant(Instant.EPOCH));
    assertEquals(Instant.EPOCH, Filetime.toInstant(116_444_736_000_000_000L));
  }

  @Test
  void filetimeZeroIs1601() {
    assertEquals(Instant.parse("1601-01-01T00:00:00Z"), Filetime.toInstant(0));
    assertEquals(0, Filetime.fromInstant(Instant.parse("1601-01-01T00:00:00Z")));
  }

  @Test
  void knownDateConvertsExactly() {
    Instant i = Instant.parse("2024-01-01T00:00:00Z");
    assertEquals(133_485_408_000_000_000L, Filetime.fromInstant(i));
    assertEquals(i, Filetime.toInstant(133_485_408_000_000_000L));
  }

  @Test
  void hundredNanosecondTicksRoundTrip() {
    long ft = 133_485_408_000_000_001L;
    Instant i = Filetime.toInstant(ft);
    assertEquals(100, i.getNano());
    assertEquals(ft, Filetime.fromInstant(i));
  }

  @Test
  void subTickPrecisionIsTruncated() {
    Instant i = Instant.parse("2024-01-01T00:00:00Z").plusNanos(199);
    assertEquals(133_485_408_000_000_001L, Filetime.fromInstant(i));
  }

  @Test
  void instantsBefore1970ConvertExactly() {
    Instant i = Instant.parse("1969-12-31T23:59:59.9999999Z");
    assertEquals(116_444_736_000_000_000L - 1, Filetime.fromInstant(i));
    assertEquals(i, Filetime.toInstant(116_444_736_000_000_000L - 1));
  }

  @Test
  void fromEpochMillisMatchesJdkWindowsDerivation() {
    long ms = 1_704_067_200_123L;
    long ft = Filetime.fromEpochMillis(ms);
    assertEquals(ms, ft / 10_000 - 11_644_473_600_000L);
  }

  @Test
  void negativeFiletimeIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Filetime.toInstant(-1));
    assertTrue(e.getMessage().contains("18446744073709551615"), e.getMessage());
  }

  @Test
  void instantBefore1601IsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Filetime.fromInstant(Instant.parse("1600-12-31T23:59:59Z")));
    assertTrue(e.getMessage().contains("1601"), e.getMessage());
  }

  @Test
  void instantTooFarInTheFutureIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> Filetime.fromInstant(Instant.MAX));
  }
}
