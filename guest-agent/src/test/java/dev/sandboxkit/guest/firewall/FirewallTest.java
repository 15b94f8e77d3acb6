package dev.sandboxkit.guest.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FirewallTest {
  static final String PROC_NET_DEV =
      "Inter-|   Receive                                                |  Transmit\n"
          + " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets\n"
          + "    lo:    1234      12    0    0    0     0          0         0     1234      12\n"
          + "  eth0: 9876543    4321    0    0    0     0          0         0   123456     789\n";

  @Test
  void parsesProcNetDev() {
    assertEquals(List.of("lo", "eth0"), LoopbackOnlyCheck.parseProcNetDev(PROC_NET_DEV));
  }

  @Test
  void loopbackOnlyAllowsJobs() {
    assertTrue(LoopbackOnlyCheck.verdict(List.of("lo")).jobsAllowed());
    assertTrue(LoopbackOnlyCheck.verdict(List.of()).jobsAllowed());
  }

  @Test
  void anyOtherInterfaceRefusesJobsAndNamesIt() {
    NetworkVerdict v = LoopbackOnlyCheck.verdict(List.of("lo", "wlan0", "eth0"));
    assertFalse(v.jobsAllowed());
    assertTrue(v.reason().startsWith("network lockdown failed"), v.reason());
    assertTrue(v.reason().contains("eth0, wlan0"), v.reason());
  }

  @Test
  void unreadableSourcesFailClosed(@TempDir Path dir) {
    NetworkVerdict v =
        LoopbackOnlyCheck.checkCurrentNamespace(dir.resolve("no-proc"), dir.resolve("no-sys"));
    assertFalse(v.jobsAllowed());
    assertTrue(v.reason().contains("cannot list the network interfaces"), v.reason());
  }

  @Test
  void fallsBackToSysClassNet(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("net/lo"));
    assertTrue(LoopbackOnlyCheck.checkCurrentNamespace(dir.resolve("none"), dir.resolve("net")).jobsAllowed());
    Files.createDirectories(dir.resolve("net/veth1"));
    assertFalse(LoopbackOnlyCheck.checkCurrentNamespace(dir.resolve("none"), dir.resolve("net")).jobsAllowed());
  }

  @Test
  void allowSkipsTheCheck() {
    assertTrue(NetworkGuard.create(NetworkMode.ALLOW).lockDown(null, -1).jobsAllowed());
    assertEquals(NetworkMode.ALLOW, NetworkMode.parse("ALLOW"));
    assertThrows(IllegalArgumentException.class, () -> NetworkMode.parse("open"));
  }

  @Test
  void preAuthorizationAllowsTheAgentProgramInbound() {
    List<List<String>> c = NetshCommands.preAuthorize("C:\\Sandbox-Java\\bin\\java.exe");
    assertEquals(
        List.of("netsh", "advfirewall", "firewall", "delete", "rule", "name=sandboxkit-agent-preauth"),
        c.get(0));
    assertEquals(
        List.of("netsh", "advfirewall", "firewall", "add", "rule", "name=sandboxkit-agent-preauth",
            "dir=in", "action=allow", "program=C:\\Sandbox-Java\\bin\\java.exe", "protocol=tcp",
            "profile=any", "enable=yes"),
        c.get(1));
  }

  static List<String> netsh(String... args) {
    List<String> l = new java.util.ArrayList<>(List.of("netsh", "advfirewall"));
    l.addAll(List.of(args));
    return l;
  }

  /** Golden: mxc's order, the documented delete form, the outbound rule only from the listener port. */
  @Test
  void lockDownAllowsOnlyTheHostAndBlocksTheRest() {
    assertEquals(
        List.of(
            netsh("set", "allprofiles", "state", "on"),
            netsh("firewall", "delete", "rule", "name=all"),
            netsh("firewall", "add", "rule", "name=sandboxkit-host-in", "dir=in", "action=allow",
                "protocol=tcp", "localport=50123", "remoteip=172.20.0.1", "profile=any", "enable=yes"),
            netsh("firewall", "add", "rule", "name=sandboxkit-host-out", "dir=out", "action=allow",
                "protocol=tcp", "localport=50123", "remoteip=172.20.0.1", "profile=any", "enable=yes"),
            netsh("set", "allprofiles", "firewallpolicy", "blockinbound,blockoutbound")),
        NetshCommands.lockDown("172.20.0.1", 50123));
    for (List<String> c : NetshCommands.lockDown("172.20.0.1", 50123)) {
      assertFalse(NetshCommands.mayFail(c), "every lockdown step must succeed: " + c);
      assertFalse(c.contains("set") && c.contains("rule"), "'set rule name=all' is undocumented: " + c);
    }
  }

  @Test
  void onlyDeletingThePreauthRuleByNameMayFail() {
    assertTrue(NetshCommands.mayFail(NetshCommands.preAuthorize("C:\\j\\java.exe").get(0)));
    assertFalse(NetshCommands.mayFail(NetshCommands.preAuthorize("C:\\j\\java.exe").get(1)));
    assertFalse(NetshCommands.mayFail(netsh("firewall", "delete", "rule", "name=all")));
  }

  @Test
  void failClosedTurnsTheFirewallOnAndBlocksBothWays() {
    assertEquals(
        List.of(netsh("set", "allprofiles", "state", "on"),
            netsh("set", "allprofiles", "firewallpolicy", "blockinbound,blockoutbound")),
        NetshCommands.failClosed());
  }

  /** Records every command; fails the one at index {@code failAt} (exit 1, or an exception). */
  static final class FakeNetsh implements Netsh {
    final List<List<String>> ran = new java.util.ArrayList<>();
    final int failAt;
    final boolean throwInstead;

    FakeNetsh(int failAt, boolean throwInstead) {
      this.failAt = failAt;
      this.throwInstead = throwInstead;
    }

    @Override
    public int run(List<String> command) throws java.io.IOException {
      ran.add(command);
      if (ran.size() - 1 == failAt) {
        if (throwInstead) {
          throw new java.io.IOException("did not finish within 30 s");
        }
        return 1;
      }
      return 0;
    }
  }

  @Test
  void windowsLockDownRunsExactlyTheGoldenCommands() {
    FakeNetsh fake = new FakeNetsh(-1, false);
    NetworkVerdict v = new NetworkGuard(NetworkMode.BLOCK, true, fake).lockDown("172.20.0.1", 50123);
    assertTrue(v.jobsAllowed(), v.reason());
    assertEquals(NetshCommands.lockDown("172.20.0.1", 50123), fake.ran);
  }

  /** Any failing step (exit code or exception): jobs refused, later steps skipped, rollback run. */
  @Test
  void aFailedStepRefusesJobsAndRollsBackToBlockEverything() {
    List<List<String>> golden = NetshCommands.lockDown("172.20.0.1", 50123);
    for (boolean throwInstead : new boolean[] {false, true}) {
      for (int k = 0; k < golden.size(); k++) {
        FakeNetsh fake = new FakeNetsh(k, throwInstead);
        NetworkVerdict v = new NetworkGuard(NetworkMode.BLOCK, true, fake).lockDown("172.20.0.1", 50123);
        assertFalse(v.jobsAllowed(), "step " + k);
        assertTrue(v.reason().startsWith("network lockdown failed: "), v.reason());
        assertTrue(v.reason().contains(String.join(" ", golden.get(k).subList(0, 6))), v.reason());
        assertTrue(v.reason().contains(throwInstead ? "did not finish" : "exited with 1"), v.reason());
        List<List<String>> expected = new java.util.ArrayList<>(golden.subList(0, k + 1));
        expected.addAll(NetshCommands.failClosed());
        assertEquals(expected, fake.ran, "step " + k);
      }
    }
  }

  @Test
  void windowsLockDownNeedsTheTcpTransport() {
    FakeNetsh fake = new FakeNetsh(-1, false);
    NetworkVerdict v = new NetworkGuard(NetworkMode.BLOCK, true, fake).lockDown(null, -1);
    assertFalse(v.jobsAllowed());
    assertTrue(v.reason().contains("needs the tcp transport"), v.reason());
    assertEquals(List.of(), fake.ran);
  }

  @Test
  void lockDownRejectsBadInputWithTheValue() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> NetshCommands.lockDown("1.2.3.4", 0))
        .getMessage().contains("got 0"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> NetshCommands.lockDown("a b", 80))
        .getMessage().contains("'a b'"));
  }
}
