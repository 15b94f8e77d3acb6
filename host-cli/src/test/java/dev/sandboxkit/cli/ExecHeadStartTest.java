package dev.sandboxkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.lifecycle.internal.startup.Speedup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The head start of {@code sandboxkit exec} (a daemon thread; the CLI never waits for its result). */
@Timeout(60)
class ExecHeadStartTest {

  @Test
  void startsOnlyForExec() {
    assertNull(ExecHeadStart.startFor(new String[0]));
    assertNull(ExecHeadStart.startFor(new String[] {"run", "--", "true"}));
    assertNull(ExecHeadStart.startFor(new String[] {"ls"}));
    assertNull(ExecHeadStart.startFor(new String[] {"--verbose", "exec"}), "not an exec: a usage error");
  }

  /** The names are loaded by string and a missing one is skipped at run time: a rename must turn this red. */
  @Test
  void everyClassPreloadedByNameExists() throws Exception {
    for (String name : ExecHeadStart.CLASSES) {
      Class.forName(name, false, ExecHeadStart.class.getClassLoader());
    }
  }

  @Test
  void theSwitchTurnsTheHeadStartOff() {
    System.setProperty(Speedup.PROPERTY, "prestart");
    try {
      assertNull(ExecHeadStart.startFor(new String[] {"exec", "0000abcd", "--", "true"}), "prestart is off");
    } finally {
      System.clearProperty(Speedup.PROPERTY);
    }
  }

  /** It opens one socket and closes it: no descriptor, process or file is left behind. */
  @Test
  void runsOnADaemonThreadAndLeavesNoDescriptorNorProcess() throws Exception {
    long fds = openDescriptors();
    long children = ProcessHandle.current().children().count();
    Thread t = ExecHeadStart.startFor(new String[] {"exec", "0000abcd", "--", "true"});
    assertNotNull(t);
    assertTrue(t.isDaemon(), "must never keep the JVM alive");
    assertEquals("sandboxkit-exec-prestart", t.getName());
    t.join(50_000);
    assertFalse(t.isAlive(), "the head start did not finish");
    assertEquals(children, ProcessHandle.current().children().count(), "the head start started a process");
    assertEquals(fds, openDescriptors(), "the head start left a descriptor open");
  }

  private static long openDescriptors() throws IOException {
    Path fd = Path.of("/proc/self/fd");
    if (!Files.isDirectory(fd)) {
      return -1;
    }
    try (Stream<Path> s = Files.list(fd)) {
      return s.count();
    }
  }
}
