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

  @Test
  void lockDownAllowsOnlyTheHostAndBlocksTheRest() {
    List<List<String>> c = NetshCommands.lockDown("172.20.0.1", 50123);
    assertEquals(8, c.size());
    assertEquals(List.of("netsh", "advfirewall", "set", "allprofiles", "state", "on"), c.get(0));
    assertEquals(
        List.of("netsh", "advfirewall", "firewall", "set", "rule", "name=all", "new", "enable=no"), c.get(1));
    assertEquals(
        List.of("netsh", "advfirewall", "firewall", "add", "rule", "name=sandboxkit-host-in", "dir=in",
            "action=allow", "protocol=tcp", "localport=50123", "remoteip=172.20.0.1", "profile=any",
            "enable=yes"),
        c.get(4));
    assertEquals(
        List.of("netsh", "advfirewall", "firewall", "add", "rule", "name=sandboxkit-host-out", "dir=out",
            "action=allow", "protocol=tcp", "remoteip=172.20.0.1", "profile=any", "enable=yes"),
        c.get(5));
    assertEquals(
        List.of("netsh", "advfirewall", "set", "allprofiles", "firewallpolicy", "blockinbound,blockoutbound"),
        c.get(6));
    assertTrue(NetshCommands.mayFail(c.get(7)));
    assertFalse(NetshCommands.mayFail(c.get(6)));
  }

  @Test
  void lockDownRejectsBadInputWithTheValue() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> NetshCommands.lockDown("1.2.3.4", 0))
        .getMessage().contains("got 0"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> NetshCommands.lockDown("a b", 80))
        .getMessage().contains("'a b'"));
  }
}
