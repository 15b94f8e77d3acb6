package dev.sandboxkit.cli.session;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** Whether a daemon record names a running daemon: pid, start time, and not a zombie. */
@Timeout(30)
class DaemonInfoTest {

  @Test
  void thisProcessIsAliveAndARecycledPidIsNot() {
    DaemonInfo me = DaemonInfo.self();
    assertTrue(me.alive());
    assertFalse(new DaemonInfo(me.pid(), me.startedMs() - 1000, true, "").alive(), "another start time: another process");
  }

  /**
   * A daemon killed with SIGKILL stays a zombie until init reaps it (up to ~1.5 s here); the JDK
   * calls it alive. ls must say gone and stop must not send it STOP: it runs nothing.
   */
  @Test
  @EnabledOnOs(OS.LINUX)
  void aZombieIsNotAlive() throws Exception {
    // sh starts a child, then becomes sleep, which never reaps it. The child exits only once its
    // parent is sleep: had it exited earlier, sh could have reaped it before the exec (the CI's
    // Java 25 pass once read /proc/<pid>/stat after that, and found nothing).
    Process p = new ProcessBuilder("sh", "-c",
        "sh -c 'while read c < /proc/$PPID/comm && [ \"$c\" != sleep ]; do :; done; exit 0' & echo $!; exec sleep 20")
        .start();
    try {
      long pid;
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII))) {
        pid = Long.parseLong(r.readLine().strip());
      }
      ProcessHandle h = ProcessHandle.of(pid).orElseThrow();
      long started = DaemonInfo.startOf(h).orElseThrow();
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!state(pid).equals("Z") && System.nanoTime() < end) {
        Thread.sleep(5);
      }
      assertTrue(state(pid).equals("Z") && h.isAlive(), "a zombie the JDK calls alive (else this proves nothing)");
      DaemonInfo zombie = new DaemonInfo(pid, started, true, "");
      assertFalse(zombie.alive());
      assertTrue(zombie.handle().isEmpty());
    } finally {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static String state(long pid) throws Exception {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    return String.valueOf(stat.charAt(stat.lastIndexOf(')') + 2));
  }
}
