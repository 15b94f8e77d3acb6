package dev.sandboxkit.lifecycle.internal.vm.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sandboxkit.lifecycle.internal.controlplane.Filetime;
import java.time.Instant;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** The Windows side of FILETIME: the two DWORD halves of {@code GetProcessTimes}. */
class FiletimeWindowsTest {
  @Test
  void combinesHighAndLowHalvesUnsigned() {
    long ft = 133_485_408_000_000_000L; // 2024-01-01T00:00:00Z
    int high = (int) (ft >>> 32);
    int low = (int) ft;
    assertEquals(ft, Win32.filetime(high, low));
    assertEquals(Instant.parse("2024-01-01T00:00:00Z"), Filetime.toInstant(Win32.filetime(high, low)));
    assertEquals(0xFFFF_FFFFL, Win32.filetime(0, -1), "a low half with bit 31 set is not sign-extended");
    assertEquals(1L << 32, Win32.filetime(1, 0));
  }

  @Test
  void knownEpochs() {
    assertEquals(Instant.parse("1601-01-01T00:00:00Z"), Filetime.toInstant(Win32.filetime(0, 0)));
    assertEquals(Filetime.UNIX_EPOCH, Filetime.fromInstant(Instant.EPOCH));
    assertEquals(Instant.parse("2026-11-27T12:34:56.789012300Z"),
        Filetime.toInstant(Filetime.fromInstant(Instant.parse("2026-11-27T12:34:56.7890123Z"))));
  }

  @Test
  void jdkMillisecondStartTimesLoseTheSub100nsPartOnly() {
    long exact = 133_485_408_001_234_567L;
    long fromJdk = Filetime.fromEpochMillis(Filetime.toInstant(exact).toEpochMilli());
    assertEquals(exact / 10_000 * 10_000, fromJdk, "why the driver reads FILETIMEs through JNA");
  }

  @Property
  void halvesRoundTrip(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long ft) {
    assertEquals(ft, Win32.filetime((int) (ft >>> 32), (int) ft));
    assertEquals(ft, Filetime.fromInstant(Filetime.toInstant(ft)));
  }
}
