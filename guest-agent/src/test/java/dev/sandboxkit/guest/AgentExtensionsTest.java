package dev.sandboxkit.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.guest.firewall.NetworkMode;
import dev.sandboxkit.guest.listener.Transport;
import dev.sandboxkit.guest.testhost.TestHost;
import dev.sandboxkit.protocol.Capabilities;
import dev.sandboxkit.protocol.ControlMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The negotiated extensions end to end: Ready's capabilities, Exec's env, Cancel. Real processes. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AgentExtensionsTest {
  @TempDir Path dir;

  private AgentRun start(Transport t) throws Exception {
    AgentRun a = AgentRun.start(dir, t, NetworkMode.ALLOW);
    a.host.open();
    return a;
  }

  @Test
  void readyAnnouncesCancelAndEnvOnLinux() throws Exception {
    try (AgentRun a = start(Transport.UNIX)) {
      assertEquals(List.of(Capabilities.CANCEL, Capabilities.ENV), a.host.ready().capabilities());
      assertEquals(0, a.closeAndAwaitExit());
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void theExecsEnvironmentReachesTheJobOverTheBaseOne(Transport t) throws Exception {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("SK_SPACES", "a b  c");
    env.put("SK_EQ", "k=v=w");
    env.put("SK_LINES", "one\ntwo");
    env.put("SK_UTF", "h\u00e9llo \u4e16\u754c \ud83d\ude00");
    env.put("HOME", dir.toString());
    try (AgentRun a = start(t)) {
      TestHost.Result r = a.host.exec(new ControlMessage.Exec("env-1",
          "printf '%s|' \"$SK_SPACES\" \"$SK_EQ\" \"$SK_LINES\" \"$SK_UTF\" \"$HOME\"; printf '%s' \"$PATH\"",
          "", 10_000, env), new byte[0]);
      assertEquals(0, r.exitCode(), r.message());
      assertEquals("a b  c|k=v=w|one\ntwo|h\u00e9llo \u4e16\u754c \ud83d\ude00|" + dir + "|" + System.getenv("PATH"),
          r.out());
      // The next job gets the base environment again: nothing carries over.
      TestHost.Result next = a.host.exec("printf '%s' \"${SK_SPACES-unset}\"");
      assertEquals("unset", next.out());
      assertEquals(0, a.closeAndAwaitExit());
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void cancelKillsTheWholeTreeIncludingADaemonAndTheSandboxStaysUsable(Transport t) throws Exception {
    Path pids = dir.resolve("pids");
    try (AgentRun a = start(t)) {
      TestHost.Pending job = a.host.begin(new ControlMessage.Exec("long-1",
          "echo $$ >> " + pids + "; sleep 1000 & echo $! >> " + pids + ";"
              + " setsid sh -c 'echo $$ >> " + pids + "; exec sleep 1000' & echo started; wait",
          "", 0), new byte[0], 1 << 20, true);
      List<Long> started = awaitPids(pids, 3);
      // While the job runs the control channel is read: a Ping is answered, a Cancel for another
      // job is ignored (the Pong after it shows the agent has read it).
      a.host.send(new ControlMessage.Cancel("someone-else"));
      a.host.send(ControlMessage.PING);
      assertEquals(ControlMessage.PONG, a.host.readControl());
      a.host.send(ControlMessage.PING);
      assertEquals(ControlMessage.PONG, a.host.readControl());
      for (long pid : started) {
        assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " killed early");
      }
      a.host.send(new ControlMessage.Cancel("long-1"));
      TestHost.Result r = job.await();
      assertEquals(-1, r.exitCode());
      assertEquals("cancelled by the host", r.message());
      assertEquals("started\n", r.out());
      AgentEndToEndTest.assertAllGone(started);
      assertEquals("after\n", a.host.exec("echo after").out());
      assertEquals(0, a.closeAndAwaitExit());
    }
  }

  @Test
  void aCancelWithNoJobRunningIsIgnoredEvenForTheNextJobsId() throws Exception {
    try (AgentRun a = start(Transport.UNIX)) {
      // Sent before the Exec it names: the agent reads in order, so it cannot cancel that job.
      a.host.send(new ControlMessage.Cancel("next"));
      TestHost.Result r =
          a.host.exec(new ControlMessage.Exec("next", "sleep 0.3; echo ran", "", 10_000), new byte[0]);
      assertEquals(0, r.exitCode(), r.message());
      assertEquals("ran\n", r.out());
      // A late Cancel for a job that has ended is ignored too.
      a.host.send(new ControlMessage.Cancel("next"));
      assertEquals("x\n", a.host.exec("echo x").out());
      assertEquals(0, a.closeAndAwaitExit());
    }
  }

  @Test
  void aCancelRightAfterTheExecCancelsIt() throws Exception {
    try (AgentRun a = start(Transport.UNIX)) {
      TestHost.Pending job = a.host.begin(
          new ControlMessage.Exec("quick", "sleep 1000", "", 0), new byte[0], 1 << 20, true);
      a.host.send(new ControlMessage.Cancel("quick"));
      TestHost.Result r = job.await();
      assertEquals(-1, r.exitCode());
      assertEquals(ControlMessage.Cancel.EXIT_MESSAGE, r.message());
      assertEquals(0, a.closeAndAwaitExit());
    }
  }

  static List<Long> awaitPids(Path file, int n) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      if (Files.exists(file)) {
        List<Long> pids = AgentEndToEndTest.pids(Files.readString(file));
        if (pids.size() >= n) {
          return pids;
        }
      }
      assertTrue(System.nanoTime() < end, "the job did not write " + n + " pids in time");
      Thread.sleep(20);
    }
  }
}
