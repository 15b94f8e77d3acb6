package dev.sandboxkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.lifecycle.internal.ProgressLog;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Issue 13.13: the library's progress notes (the first run's archive build) show unless -q. */
class CliLogProgressTest {
  private final StringWriter out = new StringWriter();

  @AfterEach
  void reset() {
    CliLog.verbosity(false, false);
    CliLog.progress(false);
    CliLog.output(new PrintWriter(System.err, true));
  }

  private String log(boolean quiet, boolean verbose, String logger) {
    return log(quiet, verbose, true, logger);
  }

  private String log(boolean quiet, boolean verbose, boolean terminal, String logger) {
    CliLog.output(new PrintWriter(out, true));
    CliLog.verbosity(quiet, verbose);
    CliLog.progress(terminal);
    new CliLog().getLogger(logger, CliLogProgressTest.class.getModule())
        .log(System.Logger.Level.INFO, "built the guest''s class-data archive in {0} s", "1.4");
    return out.toString();
  }

  @Test
  void progressNotesShowByDefault() {
    assertEquals("sandboxkit: note: built the guest's class-data archive in 1.4 s" + System.lineSeparator(),
        log(false, false, ProgressLog.NAME));
  }

  @Test
  void progressNotesStayOffAScriptsStderrUnlessVerbose() {
    assertEquals("", log(false, false, false, ProgressLog.NAME));
    assertTrue(log(false, true, false, ProgressLog.NAME).contains("built the guest's class-data archive"));
  }

  @Test
  void progressNotesAreQuietWithQ() {
    assertEquals("", log(true, false, ProgressLog.NAME));
  }

  @Test
  void otherInformationalRecordsStillNeedVerbose() {
    assertEquals("", log(false, false, "dev.sandboxkit.lifecycle.internal.startup.GuestArchive"));
    CliLog.progress(true);
    assertFalse(CliLog.shown("any.logger", System.Logger.Level.INFO));
    assertTrue(CliLog.shown(ProgressLog.NAME, System.Logger.Level.INFO));
    assertFalse(CliLog.shown(ProgressLog.NAME, System.Logger.Level.DEBUG), "only INFO is promoted");
  }
}
