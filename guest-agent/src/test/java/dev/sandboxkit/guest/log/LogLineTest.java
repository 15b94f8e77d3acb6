package dev.sandboxkit.guest.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LogLineTest {
  private static final DateTimeFormatter JDK =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private static String stamp(long millis) {
    StringBuilder sb = new StringBuilder();
    LogLine.appendTimestamp(sb, millis);
    return sb.toString();
  }

  @Test
  void timestampsMatchJavaTime() {
    long[] fixed = {
      0, 1, 999, 86_399_999, 86_400_000, 951_782_400_000L /* 2000-02-29 */, 4_107_542_399_999L,
      1_798_761_599_999L /* 2026-12-31T23:59:59.999 */, 253_402_300_799_999L /* 9999-12-31 */
    };
    for (long m : fixed) {
      assertEquals(JDK.format(Instant.ofEpochMilli(m)), stamp(m), Long.toString(m));
    }
    Random r = new Random(7);
    for (int i = 0; i < 20_000; i++) {
      long m = Math.floorMod(r.nextLong(), 253_402_300_800_000L);
      assertEquals(JDK.format(Instant.ofEpochMilli(m)), stamp(m), Long.toString(m));
    }
  }

  @Test
  void theLineHasTheAgentsFormat() {
    String line = LogLine.format(1_700_000_000_123L, "INFO", "dev.sandboxkit.guest.Agent", "a\nb", null);
    assertEquals("2023-11-14T22:13:20.123Z INFO    sandboxkit-guest Agent: a b" + System.lineSeparator(), line);
    String err = LogLine.format(0, "SEVERE", null, "failed", new IllegalStateException("why"));
    assertEquals("1970-01-01T00:00:00.000Z SEVERE  sandboxkit-guest : failed (java.lang.IllegalStateException: why)"
        + System.lineSeparator(), err);
  }

  @Test
  void levelsKeepTheirJavaUtilLoggingNames() {
    assertEquals("SEVERE", LogLine.levelName(System.Logger.Level.ERROR));
    assertEquals("WARNING", LogLine.levelName(System.Logger.Level.WARNING));
    assertEquals("INFO", LogLine.levelName(System.Logger.Level.INFO));
    assertEquals("FINE", LogLine.levelName(System.Logger.Level.DEBUG));
    assertEquals("FINER", LogLine.levelName(System.Logger.Level.TRACE));
    assertEquals("ALL", LogLine.levelName(System.Logger.Level.ALL));
  }

  @Test
  void parametersAreFilledLikeMessageFormatWithoutGrouping() {
    assertEquals("job x started (pid 1234)",
        LogLine.substitute("job {0} started (pid {1})", new Object[] {"x", 1234L}));
    assertEquals("within 1000 ms", LogLine.substitute("within {0} ms", new Object[] {1000L}));
    assertEquals("b a b", LogLine.substitute("{1} {0} {1}", new Object[] {"a", "b"}));
    assertEquals("closing the job's stdin: x",
        LogLine.substitute("closing the job''s stdin: {0}", new Object[] {"x"}));
    assertEquals("literal {0} then x", LogLine.substitute("literal '{0}' then {0}", new Object[] {"x"}));
    assertEquals("{1} {x} {0,number} { null",
        LogLine.substitute("{1} {x} {0,number} { {0}", new Object[] {null}));
    assertEquals("no params '' {0}", LogLine.substitute("no params '' {0}", new Object[0]));
    assertEquals("no params '' {0}", LogLine.substitute("no params '' {0}", null));
    assertEquals(null, LogLine.substitute(null, new Object[] {"x"}));
  }
}
