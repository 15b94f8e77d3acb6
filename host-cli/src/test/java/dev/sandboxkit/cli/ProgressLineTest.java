package dev.sandboxkit.cli;

import static dev.sandboxkit.cli.Asserts.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ProgressLineTest {

  @Test
  void textShowsDriverStepAndTenthsOfSeconds() {
    assertEquals("sandboxkit: starting bubblewrap sandbox (launch) 1.2s",
        ProgressLine.text("bubblewrap", "launch", 1234));
    assertEquals("sandboxkit: starting windows-sandbox sandbox (rendezvous) 61.0s",
        ProgressLine.text("windows-sandbox", "rendezvous", 61_000));
  }

  @Test
  void notLiveAndNotVerbosePrintsNothing() {
    StringWriter sw = new StringWriter();
    ProgressLine p = new ProgressLine(new PrintWriter(sw), "bubblewrap", false, false, System::nanoTime);
    drive(p);
    assertEquals("", sw.toString());
  }

  @Test
  @Timeout(10)
  void liveDrawsOneLineAndErasesItWhenTheCommandStarts() throws Exception {
    StringWriter sw = new StringWriter();
    AtomicLong now = new AtomicLong();
    ProgressLine p = new ProgressLine(new PrintWriter(sw), "bubblewrap", true, false, now::get);
    p.prepareStart("sb");
    now.addAndGet(1_500_000_000L);
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!sw.toString().contains("1.5s") && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    p.execStart("sb", "ex");
    String s = sw.toString();
    assertContains(s, "\rsandboxkit: starting bubblewrap sandbox (prepare) 1.5s");
    assertTrue(s.endsWith("\r\033[K"), "erased at the end: " + s);
    int len = s.length();
    Thread.sleep(250);
    assertEquals(len, sw.toString().length(), "nothing drawn after the command started");
    assertTrue(!s.contains("\n"), "never more than one line");
  }

  @Test
  void verbosePrintsStepTimings() {
    StringWriter sw = new StringWriter();
    ProgressLine p = new ProgressLine(new PrintWriter(sw), "bubblewrap", false, true, System::nanoTime);
    drive(p);
    assertContains(sw.toString(), "sandboxkit: prepare ", "sandboxkit: launch ", "sandboxkit: rendezvous ",
        "sandboxkit: handshake ", "sandboxkit: teardown ", "total ");
  }

  private static void drive(ProgressLine p) {
    p.prepareStart("sb");
    p.prepareEnd("sb");
    p.launchStart("sb");
    p.launchEnd("sb");
    p.rendezvousStart("sb");
    p.rendezvousEnd("sb");
    p.handshakeStart("sb");
    p.handshakeEnd("sb");
    p.execStart("sb", "ex");
    p.execEnd("sb", "ex", null);
    p.teardownStart("sb");
    p.teardownEnd("sb");
    p.stop();
  }

  /** A first run trains the guest's archive inside its prepare step: the line names it, then goes back. */
  @Test
  void aTrainingShowsAsItsOwnStepAndThenThePrepareStepGoesOn() {
    StringWriter sw = new StringWriter();
    AtomicLong now = new AtomicLong();
    ProgressLine p = new ProgressLine(new PrintWriter(sw), "bubblewrap", false, true, now::get);
    p.prepareStart("sb");
    now.addAndGet(100_000_000L);
    p.archiveStart("sb");
    now.addAndGet(2_900_000_000L);
    assertEquals("sandboxkit: starting bubblewrap sandbox (training class-data archive) 3.0s", p.textNow());
    p.archiveEnd("sb");
    assertEquals("sandboxkit: starting bubblewrap sandbox (prepare) 3.0s", p.textNow());
    p.prepareEnd("sb");
    assertEquals("sandboxkit: starting bubblewrap sandbox (launch) 3.0s", p.textNow());
    assertContains(sw.toString(), "sandboxkit: training class-data archive 2900 ms");
  }

  @Test
  void aFailedTrainingAlsoGoesBackToPrepare() {
    AtomicLong now = new AtomicLong();
    ProgressLine p = new ProgressLine(new PrintWriter(new StringWriter()), "bubblewrap", false, false, now::get);
    p.prepareStart("sb");
    p.archiveStart("sb");
    p.archiveFailed("sb", "no space left on device");
    assertEquals("sandboxkit: starting bubblewrap sandbox (prepare) 0.0s", p.textNow());
  }

  @Test
  void thePrepareCommandsLineSaysPreparing() {
    AtomicLong now = new AtomicLong();
    ProgressLine p = ProgressLine.preparing(new PrintWriter(new StringWriter()), "bubblewrap", false, false, now::get);
    p.prepareStart("");
    p.archiveStart("");
    now.addAndGet(1_200_000_000L);
    assertEquals("sandboxkit: preparing bubblewrap (training class-data archive) 1.2s", p.textNow());
  }
}
