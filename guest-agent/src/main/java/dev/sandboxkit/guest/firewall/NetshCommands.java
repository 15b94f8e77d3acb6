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
   * After the host's control channel arrived, in mxc's order ({@code firewall.rs}): firewall on,
   * every existing rule deleted with the documented {@code delete rule name=all} (this also removes
   * the pre-authorization rule and every allow rule Windows ships), then the two host rules, then
   * block-by-default both ways. Inbound: only the host's address to the listener port. Outbound:
   * only from the listener port to the host's address, i.e. the replies of the host's connections;
   * the sandbox cannot open a connection to any port of the host.
   *
   * <p>Every command must succeed (none {@link #mayFail}): a failure leaves jobs refused and {@link
   * #failClosed()} runs.
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
        netsh("firewall", "delete", "rule", "name=all"),
        netsh(
            "firewall", "add", "rule", "name=" + HOST_IN_RULE, "dir=in", "action=allow",
            "protocol=tcp", "localport=" + listenerPort, "remoteip=" + hostIp, "profile=any",
            "enable=yes"),
        netsh(
            "firewall", "add", "rule", "name=" + HOST_OUT_RULE, "dir=out", "action=allow",
            "protocol=tcp", "localport=" + listenerPort, "remoteip=" + hostIp, "profile=any",
            "enable=yes"),
        blockByDefault());
  }

  /**
   * The rollback after a failed lockdown: whatever step failed, the firewall ends on and blocking
   * both ways by default (best effort; jobs are refused whether or not this succeeds). Rules added
   * before the failure stay, and they admit at most the host.
   */
  static List<List<String>> failClosed() {
    return List.of(netsh("set", "allprofiles", "state", "on"), blockByDefault());
  }

  private static List<String> blockByDefault() {
    return netsh("set", "allprofiles", "firewallpolicy", "blockinbound,blockoutbound");
  }

  /**
   * Commands whose failure is harmless: only deleting the pre-authorization rule by name before it
   * is added (it does not exist yet). {@code delete rule name=all} must succeed: a rule it failed to
   * delete would stay an open door under the block-by-default policy.
   */
  static boolean mayFail(List<String> command) {
    return command.size() == 6 && command.get(2).equals("firewall") && command.get(3).equals("delete")
        && command.get(5).equals("name=" + PREAUTH_RULE);
  }
}
