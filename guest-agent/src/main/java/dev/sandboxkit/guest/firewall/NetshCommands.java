package dev.sandboxkit.guest.firewall;

import java.util.ArrayList;
import java.util.List;

/**
 * Windows firewall commands as argument lists (pure). Every argument is a single token without
 * spaces except the program path, which Java's ProcessBuilder quotes as a whole ({@code
 * "program=C:\Path With Spaces\java.exe"}), a form netsh accepts.
 */
final class NetshCommands {
  static final String PREAUTH_RULE = "sandboxkit-agent-preauth";
  static final String HOST_IN_RULE = "sandboxkit-host-in";
  static final String HOST_OUT_RULE = "sandboxkit-host-out";

  private NetshCommands() {}

  private static List<String> netsh(String... args) {
    List<String> l = new ArrayList<>();
    l.add("netsh");
    l.add("advfirewall");
    l.addAll(List.of(args));
    return List.copyOf(l);
  }

  /** Before bind: let the agent's own program accept inbound TCP, so binding raises no prompt. */
  static List<List<String>> preAuthorize(String programPath) {
    return List.of(
        netsh("firewall", "delete", "rule", "name=" + PREAUTH_RULE),
        netsh(
            "firewall", "add", "rule", "name=" + PREAUTH_RULE, "dir=in", "action=allow",
            "program=" + programPath, "protocol=tcp", "profile=any", "enable=yes"));
  }

  /**
   * After the host's control channel arrived: only the host's address may reach the listener port
   * and be reached from the sandbox; everything else is blocked both ways.
   */
  static List<List<String>> lockDown(String hostIp, int listenerPort) {
    if (hostIp.isEmpty() || hostIp.indexOf(' ') >= 0) {
      throw new IllegalArgumentException("host IP must be one address without spaces, got '" + hostIp + "'");
    }
    if (listenerPort < 1 || listenerPort > 65535) {
      throw new IllegalArgumentException("listener port must be 1..65535, got " + listenerPort);
    }
    return List.of(
        netsh("set", "allprofiles", "state", "on"),
        netsh("firewall", "set", "rule", "name=all", "new", "enable=no"),
        netsh("firewall", "delete", "rule", "name=" + HOST_IN_RULE),
        netsh("firewall", "delete", "rule", "name=" + HOST_OUT_RULE),
        netsh(
            "firewall", "add", "rule", "name=" + HOST_IN_RULE, "dir=in", "action=allow",
            "protocol=tcp", "localport=" + listenerPort, "remoteip=" + hostIp, "profile=any",
            "enable=yes"),
        netsh(
            "firewall", "add", "rule", "name=" + HOST_OUT_RULE, "dir=out", "action=allow",
            "protocol=tcp", "remoteip=" + hostIp, "profile=any", "enable=yes"),
        netsh("set", "allprofiles", "firewallpolicy", "blockinbound,blockoutbound"),
        netsh("firewall", "delete", "rule", "name=" + PREAUTH_RULE));
  }

  /** Commands whose failure is harmless (deleting a rule that does not exist yet). */
  static boolean mayFail(List<String> command) {
    return command.size() > 3 && command.get(2).equals("firewall") && command.get(3).equals("delete");
  }
}
