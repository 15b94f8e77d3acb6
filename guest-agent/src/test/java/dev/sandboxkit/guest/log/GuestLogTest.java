package dev.sandboxkit.guest.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.internal.logging.InternalLoggerFactory;
import java.util.Arrays;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * In-process the agent's classes sit on a plain class path, so the JDK's finder is in use: install
 * then configures java.util.logging with the same line, and points Netty here either way.
 */
class GuestLogTest {
  @Test
  void withoutTheAgentsFinderJavaUtilLoggingGetsTheOneLineFormat() {
    Logger root = Logger.getLogger("");
    Handler[] saved = root.getHandlers();
    Level savedLevel = root.getLevel();
    InternalLoggerFactory savedNetty = InternalLoggerFactory.getDefaultFactory();
    try {
      GuestLog.install(false);
      assertSame(NettyLoggerFactory.INSTANCE, InternalLoggerFactory.getDefaultFactory());
      assertEquals(Level.INFO, root.getLevel());
      assertTrue(Arrays.stream(root.getHandlers()).anyMatch(h -> h.getFormatter() instanceof OneLineFormatter));
      LogRecord r = new LogRecord(Level.WARNING, "took {0} ms");
      r.setParameters(new Object[] {"12"});
      r.setLoggerName("dev.sandboxkit.guest.Agent");
      r.setMillis(0);
      assertEquals("1970-01-01T00:00:00.000Z WARNING sandboxkit-guest Agent: took 12 ms" + System.lineSeparator(),
          new OneLineFormatter().format(r));
      GuestLog.install(true);
      assertEquals(Level.FINE, root.getLevel());
    } finally {
      for (Handler h : root.getHandlers()) {
        root.removeHandler(h);
      }
      for (Handler h : saved) {
        root.addHandler(h);
      }
      root.setLevel(savedLevel);
      InternalLoggerFactory.setDefaultFactory(savedNetty);
      GuestLog.redirect(System.err, System.Logger.Level.INFO);
    }
  }
}
