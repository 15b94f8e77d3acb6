package dev.sandboxkit.guest.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.internal.logging.InternalLogger;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GuestLoggerTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private PrintStream previous;

  private String capture(System.Logger.Level level, Runnable r) {
    previous = GuestLog.redirect(new PrintStream(bytes, true, StandardCharsets.UTF_8), level);
    r.run();
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @AfterEach
  void restore() {
    if (previous != null) {
      GuestLog.redirect(previous, System.Logger.Level.INFO);
    }
  }

  @Test
  void theFinderGivesOneLineLoggersThatFillParameters() {
    System.Logger log = new GuestLoggerFinder().getLogger("dev.sandboxkit.guest.Agent", getClass().getModule());
    String out = capture(System.Logger.Level.INFO, () -> {
      log.log(System.Logger.Level.INFO, "job {0} started (pid {1})", "e1", 12345L);
      log.log(System.Logger.Level.ERROR, "boom", new IllegalStateException("why"));
      log.log(System.Logger.Level.DEBUG, "hidden {0}", "x");
    });
    String[] lines = out.split(System.lineSeparator());
    assertEquals(2, lines.length, out);
    assertTrue(lines[0].matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z "
        + "INFO    sandboxkit-guest Agent: job e1 started \\(pid 12345\\)"), lines[0]);
    assertTrue(lines[1].endsWith(
        " SEVERE  sandboxkit-guest Agent: boom (java.lang.IllegalStateException: why)"), lines[1]);
    assertEquals("dev.sandboxkit.guest.Agent", log.getName());
  }

  @Test
  void verboseShowsDebugAndInfoHidesIt() {
    System.Logger log = new GuestLogger("x.Y");
    capture(System.Logger.Level.INFO, () -> {});
    assertFalse(log.isLoggable(System.Logger.Level.DEBUG));
    assertTrue(log.isLoggable(System.Logger.Level.INFO));
    assertFalse(log.isLoggable(System.Logger.Level.OFF));
    GuestLog.redirect(new PrintStream(bytes, true, StandardCharsets.UTF_8), System.Logger.Level.DEBUG);
    assertTrue(log.isLoggable(System.Logger.Level.DEBUG));
    assertFalse(log.isLoggable(System.Logger.Level.TRACE));
    log.log(System.Logger.Level.DEBUG, (ResourceBundle) null, "shown {0}", "now");
    assertTrue(bytes.toString(StandardCharsets.UTF_8).contains(" FINE    sandboxkit-guest Y: shown now"));
  }

  /** Records what reaches the System.Logger, to check Netty's adapter on its own. */
  private static final class Recorder implements System.Logger {
    final List<String> seen = new ArrayList<>();

    @Override
    public String getName() {
      return "io.netty.X";
    }

    @Override
    public boolean isLoggable(Level level) {
      return level.getSeverity() >= Level.INFO.getSeverity();
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
      seen.add(level + " " + msg + (thrown == null ? "" : " / " + thrown.getMessage()));
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
      seen.add("PARAMS " + format);
    }
  }

  @Test
  void nettyRecordsAreFilledHereAndNeverParsedAgain() {
    Recorder r = new Recorder();
    InternalLogger n = new NettyLogger("io.netty.X", r);
    n.warn("a {} b {}", 1, "two");
    n.info("'{0}' stays as written");
    n.error("failed: {}", "x", new IllegalStateException("cause"));
    n.warn("no placeholder", new IllegalStateException("t"));
    n.warn("three {} {} {}", new Object[] {1, 2, 3});
    n.info("missing {} {}", "only");
    n.debug("dropped {}", 1);
    n.trace("dropped");
    n.error("plain", new IllegalStateException("e"));
    assertEquals(List.of(
        "WARNING a 1 b two",
        "INFO '{0}' stays as written",
        "ERROR failed: x / cause",
        "WARNING no placeholder / t",
        "WARNING three 1 2 3",
        "INFO missing only {}",
        "ERROR plain / e"), r.seen);
    assertFalse(n.isDebugEnabled());
    assertFalse(n.isTraceEnabled());
    assertTrue(n.isWarnEnabled());
  }

  @Test
  void nettyPlaceholdersFill() {
    assertEquals("x=1, y=2", NettyLogger.fill("x={}, y={}", new Object[] {1, 2}, 2));
    assertEquals("x=1, y={}", NettyLogger.fill("x={}, y={}", new Object[] {1}, 1));
    assertEquals("none", NettyLogger.fill("none", new Object[] {1}, 1));
    assertEquals("x={}", NettyLogger.fill("x={}", new Object[0], 0));
  }
}
