package dev.sandboxkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.lifecycle.internal.startup.Speedup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The head start of {@code sandboxkit run} (a daemon thread; the CLI never waits for it). */
@Timeout(60)
class RunHeadStartTest {

  @Test
  void startsOnlyForRun() {
    assertNull(RunHeadStart.startFor(new String[0]));
    assertNull(RunHeadStart.startFor(new String[] {"doctor"}));
    assertNull(RunHeadStart.startFor(new String[] {"--version"}));
    assertNull(RunHeadStart.startFor(new String[] {"help", "run"}));
    assertNull(RunHeadStart.startFor(new String[] {"--verbose", "run"}), "not a run: a usage error");
  }

  /** The names are loaded by string and a missing one is skipped at run time: a rename must turn this red. */
  @Test
  void everyClassPreloadedByNameExists() throws Exception {
    for (String name : RunHeadStart.CLASSES) {
      Class.forName(name, false, RunHeadStart.class.getClassLoader());
    }
  }

  @Test
  void theSwitchTurnsTheHeadStartOff() {
    System.setProperty(Speedup.PROPERTY, "prestart");
    try {
      assertNull(RunHeadStart.startFor(new String[] {"run", "--", "true"}), "prestart is off");
    } finally {
      System.clearProperty(Speedup.PROPERTY);
    }
  }

  @Test
  void runsOnADaemonThreadAndEndsWithoutAProcess() throws InterruptedException {
    long children = ProcessHandle.current().children().count();
    Thread t = RunHeadStart.startFor(new String[] {"run", "--", "true"});
    assertNotNull(t);
    assertTrue(t.isDaemon(), "must never keep the JVM alive");
    assertEquals("sandboxkit-prestart", t.getName());
    t.join(50_000);
    assertFalse(t.isAlive(), "the head start did not finish");
    assertEquals(children, ProcessHandle.current().children().count(), "the head start started a process");
  }
}
