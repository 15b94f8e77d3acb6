package dev.sandboxkit.guest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.auth.ChannelRole;
import dev.sandboxkit.guest.firewall.NetworkMode;
import dev.sandboxkit.guest.listener.Transport;
import dev.sandboxkit.guest.testhost.PeerEffect;
import dev.sandboxkit.guest.testhost.TestHost;
import dev.sandboxkit.protocol.ControlMessage;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The agent in-process, driven by the test host over real sockets, with real processes. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AgentEndToEndTest {
  @TempDir Path dir;

  private AgentRun start(Transport t) throws Exception {
    return AgentRun.start(dir, t, NetworkMode.ALLOW);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void advertisesTheRightAddress(Transport t) throws Exception {
    try (AgentRun a = start(t)) {
      String line = java.nio.file.Files.readString(dir.resolve("rendezvous.txt"));
      if (t == Transport.UNIX) {
        assertEquals("unix:agent.sock", line);
      } else {
        assertTrue(line.matches("127\\.0\\.0\\.1:\\d+"), line);
      }
      a.host.open();
      assertEquals(0, a.closeAndAwaitExit());
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void channelsInReverseRoleOrderLandInTheRightSlots(Transport t) throws Exception {
    try (AgentRun a = start(t)) {
      a.host.open(List.of(ChannelRole.STDERR, ChannelRole.STDOUT, ChannelRole.STDIN, ChannelRole.CONTROL));
      TestHost.Result r =
          a.host.exec("echo out; echo err 1>&2; cat", "", 30_000, "in\n".getBytes(), 1 << 20);
      assertEquals(0, r.exitCode());
      assertEquals("out\nin\n", r.out());
      assertEquals("err\n", r.err());
      assertEquals(0, a.closeAndAwaitExit());
    }
  }

  /**
   * Peers without the nonce, connected before the host, are dropped and do not hold the session up;
   * peers that declare a data role again once the session holds its channels (a nonce holder: the
   * host retrying) are refused and closed, and the session keeps its own channels. Which of two
   * declarations in one phase wins is decided by accept order ({@code ListenerUnitTest}); here
   * every outcome is fixed, whatever order the event loops finish handshakes in.
   */
  @ParameterizedTest
  @EnumSource(Transport.class)
  void hostilePeersNeitherWedgeNorMisroute(Transport t) throws Exception {
    try (AgentRun a = start(t)) {
      List<SocketChannel> hostile = new ArrayList<>();
      for (PeerEffect e :
          List.of(
              new PeerEffect.WrongNonce(ChannelRole.CONTROL),
              new PeerEffect.UnknownRole(4),
              new PeerEffect.UnknownRole(0xFF),
              new PeerEffect.ShortWrite(20),
              new PeerEffect.Stall())) {
        hostile.add(a.host.keep(e.apply(a.host, a.nonce)));
      }
      a.host.open();
      for (SocketChannel h : hostile) {
        assertTrue(TestHost.closedByPeer(h, Duration.ofSeconds(5)), "a hostile peer was not dropped");
      }
      // Duplicates of the data roles once the session holds its channels: refused, never routed.
      SocketChannel dupOut = a.host.keep(new PeerEffect.DuplicateRole(ChannelRole.STDOUT).apply(a.host, a.nonce));
      SocketChannel dupIn = a.host.keep(new PeerEffect.DuplicateRole(ChannelRole.STDIN).apply(a.host, a.nonce));
      assertTrue(TestHost.closedByPeer(dupOut, Duration.ofSeconds(5)), "duplicate stdout not closed");
      assertTrue(TestHost.closedByPeer(dupIn, Duration.ofSeconds(5)), "duplicate stdin not closed");
      TestHost.Result r = a.host.exec("cat; echo done", "", 30_000, "real\n".getBytes(), 1 << 20);
      assertEquals(0, r.exitCode());
      assertEquals("real\ndone\n", r.out());
      assertEquals(0, a.closeAndAwaitExit());
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void echoExitCodeAndStderr(Transport t) throws Exception {
    try (AgentRun a = start(t)) {
      a.host.open();
      TestHost.Result echo = a.host.exec("echo hello");
      assertEquals(0, echo.exitCode());
      assertEquals("", echo.message());
      assertEquals("hello\n", echo.out());
      TestHost.Result exit42 = a.host.exec("exit 42");
      assertEquals(42, exit42.exitCode());
      TestHost.Result err = a.host.exec("echo oops 1>&2; exit 3");
      assertEquals(3, err.exitCode());
      assertEquals("oops\n", err.err());
      assertEquals("", err.out());
      assertEquals(0, a.closeAndAwaitExit());
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void tenMebibytesOfStdinRoundTripThroughCat(Transport t) throws Exception {
    byte[] input = new byte[10 * 1024 * 1024];
    new Random(42).nextBytes(input);
    try (AgentRun a = start(t)) {
      a.host.open();
      TestHost.Result r = a.host.exec("cat", "", 60_000, input, input.length + 1);
      assertEquals(0, r.exitCode());
      assertEquals(input.length, r.stdoutBytes());
      assertArrayEquals(input, r.stdout());
      assertEquals(0, a.closeAndAwaitExit());
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void hundredMebibytesOfStdout(Transport t) throws Exception {
    try (AgentRun a = start(t)) {
      a.host.open();
      TestHost.Result r = a.host.exec("head -c 104857600 /dev/zero", "", 60_000, new byte[0], 0);
      assertEquals(0, r.exitCode());
      assertEquals(104_857_600L, r.stdoutBytes());
      assertEquals(0, a.closeAndAwaitExit());
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void timeoutKillsTheWholeTreeIncludingADaemonizedGrandchild(Transport t) throws Exception {
    try (AgentRun a = start(t)) {
      a.host.open();
      TestHost.Result r =
          a.host.exec(
              "echo $$; sleep 1000 & echo $!; setsid sh -c 'echo $$; exec sleep 1000' & sleep 1000; wait",
              "", 1500, new byte[0], 1 << 20);
      assertEquals(-1, r.exitCode());
      assertEquals("process timed out after 1500 ms", r.message());
      List<Long> pids = pids(r.out());
      assertEquals(3, pids.size(), r.out());
      assertAllGone(pids);
      assertEquals(0, a.closeAndAwaitExit());
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aDaemonHoldingStdoutDiesWhenTheJobEnds(Transport t) throws Exception {
    try (AgentRun a = start(t)) {
      a.host.open();
      long start = System.nanoTime();
      TestHost.Result r =
          a.host.exec("setsid sh -c 'echo $$; exec sleep 1000' & sleep 0.2; echo main-done", "", 0,
              new byte[0], 1 << 20);
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertEquals(0, r.exitCode());
      assertTrue(r.out().endsWith("main-done\n"), r.out());
      assertAllGone(pids(r.out().replace("main-done\n", "")));
      assertTrue(ms < 9_000, "the job waited for the drain grace: " + ms + " ms");
      assertEquals(0, a.closeAndAwaitExit());
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aJobEndsWhileTheHostKeepsStdinOpenAndTheNextJobStillRuns(Transport t) throws Exception {
    try (AgentRun a = start(t)) {
      a.host.open();
      TestHost.Result r = a.host.exec("head -c 3; echo done", "", 0, "abcdef".getBytes(), 1 << 20, false);
      assertEquals(0, r.exitCode());
      assertEquals("abcdone\n", r.out());
      TestHost.Result quiet = a.host.exec("exit 4", "", 0, new byte[0], 1 << 20, false);
      assertEquals(4, quiet.exitCode());
      assertEquals("x", a.host.exec("cat", "", 0, "x".getBytes(), 1 << 20).out());
      assertEquals(0, a.closeAndAwaitExit());
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void twentyJobsInARowOnOneControlConnection(Transport t) throws Exception {
    try (AgentRun a = start(t)) {
      a.host.open();
      for (int i = 0; i < 20; i++) {
        TestHost.Result r = a.host.exec("echo job-" + i + "; exit " + (i % 5));
        assertEquals(i % 5, r.exitCode());
        assertEquals("job-" + i + "\n", r.out());
      }
      assertEquals(0, a.closeAndAwaitExit());
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aJobIgnoringStdinWhileFloodingStdoutDoesNotDeadlock(Transport t) throws Exception {
    byte[] input = new byte[32 * 1024 * 1024];
    try (AgentRun a = start(t)) {
      a.host.open();
      TestHost.Result r = a.host.exec("head -c 20000000 /dev/zero", "", 60_000, input, 0);
      assertEquals(0, r.exitCode());
      assertEquals(20_000_000L, r.stdoutBytes());
      TestHost.Result next = a.host.exec("echo still-alive");
      assertEquals("still-alive\n", next.out());
      assertEquals(0, a.closeAndAwaitExit());
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void workingDirectoryIsUsedAndAMissingOneIsAClearError(Transport t) throws Exception {
    try (AgentRun a = start(t)) {
      a.host.open();
      TestHost.Result ok = a.host.exec("pwd", dir.toString(), 10_000, new byte[0], 1 << 20);
      assertEquals(dir.toRealPath() + "\n", ok.out());
      String missing = dir.resolve("no-such-dir").toString();
      TestHost.Result r = a.host.exec("echo never", missing, 10_000, new byte[0], 1 << 20);
      assertEquals(-1, r.exitCode());
      assertTrue(r.message().contains("working directory '" + missing + "' does not exist"), r.message());
      assertEquals("", r.out());
      assertEquals(0, a.closeAndAwaitExit());
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void pingGetsPongAndOtherMessagesAreIgnored(Transport t) throws Exception {
    try (AgentRun a = start(t)) {
      a.host.open();
      a.host.send(ControlMessage.PONG);
      a.host.send(ControlMessage.READY);
      a.host.send(ControlMessage.PING);
      assertEquals(ControlMessage.PONG, a.host.readControl());
      assertEquals("x\n", a.host.exec("echo x").out());
      assertEquals(0, a.closeAndAwaitExit());
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aControlDeclarationDuringTheDataReconnectIsDropped(Transport t) throws Exception {
    try (AgentRun a = start(t)) {
      a.host.open();
      a.host.exec("true");
      SocketChannel intruder = a.host.keep(a.host.connectAs(ChannelRole.CONTROL));
      assertTrue(TestHost.closedByPeer(intruder, Duration.ofSeconds(5)));
      assertEquals("after\n", a.host.exec("echo after").out());
      assertEquals(0, a.closeAndAwaitExit());
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void controlEofDuringAJobKillsItAndEndsCleanly(Transport t) throws Exception {
    try (AgentRun a = start(t)) {
      a.host.open();
      a.host.send(new ControlMessage.Exec("long", "echo $$; sleep 1000", "", 0));
      Thread.sleep(300);
      assertEquals(0, a.closeAndAwaitExit());
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aMalformedControlFrameEndsTheAgentWithTheProtocolCode(Transport t) throws Exception {
    try (AgentRun a = start(t)) {
      a.host.open();
      TestHost.writeAll(a.host.control(), new byte[] {5, 0, 0, 0, 'h', 'e', 'l', 'l', 'o'});
      assertEquals(ExitCodes.PROTOCOL, a.exit.get(15, TimeUnit.SECONDS));
    }
  }

  @org.junit.jupiter.api.Test
  void networkBlockRefusesJobsWhenTheNamespaceHasMoreThanLoopback() throws Exception {
    String dev = java.nio.file.Files.readString(Path.of("/proc/net/dev"));
    org.junit.jupiter.api.Assumptions.assumeTrue(
        dev.lines().skip(2).anyMatch(l -> !l.trim().startsWith("lo:")),
        "this test runs where the namespace has a non-loopback interface (it has only lo here)");
    try (AgentRun a = AgentRun.start(dir, Transport.UNIX, NetworkMode.BLOCK)) {
      a.host.open();
      TestHost.Result r = a.host.exec("echo should-not-run");
      assertEquals(-1, r.exitCode());
      assertTrue(r.message().startsWith("network lockdown failed"), r.message());
      assertEquals("", r.out());
      assertEquals(0, a.closeAndAwaitExit());
    }
  }

  @org.junit.jupiter.api.Test
  void aMissingNonceFileEndsTheAgentWithTheNonceCode() throws Exception {
    AgentOptions o =
        new AgentOptions(dir, Transport.UNIX, NetworkMode.ALLOW, null, false, false, false,
            Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(5));
    assertEquals(ExitCodes.NONCE, new Agent(o, dev.sandboxkit.guest.executor.ControlLoop.Settings.DEFAULTS).run());
    assertFalse(java.nio.file.Files.exists(dir.resolve("rendezvous.txt")));
  }

  static List<Long> pids(String out) {
    List<Long> l = new ArrayList<>();
    for (String s : out.split("\n")) {
      if (!s.isBlank()) {
        l.add(Long.parseLong(s.trim()));
      }
    }
    return l;
  }

  static void assertAllGone(List<Long> pids) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    for (long pid : pids) {
      while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
        assertTrue(System.nanoTime() < end, "pid " + pid + " is still alive");
        Thread.sleep(20);
      }
    }
  }
}
