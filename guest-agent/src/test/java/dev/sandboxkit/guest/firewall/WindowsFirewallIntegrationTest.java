package dev.sandboxkit.guest.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guest's netsh lockdown and its rollback against the real Windows firewall, never faked.
 * Needs an elevated shell and changes the machine's firewall while it runs (every rule is deleted,
 * as in the guest), so it runs only with {@code -Dsandboxkit.windows.it=true} AND {@code
 * -Dsandboxkit.windows.firewall.it=true}, meant for a disposable Windows VM (or a Windows Sandbox).
 * The policy is exported before each test and imported back after it.
 */
@EnabledOnOs(OS.WINDOWS)
@EnabledIfSystemProperty(named = "sandboxkit.windows.it", matches = "true")
@EnabledIfSystemProperty(named = "sandboxkit.windows.firewall.it", matches = "true")
@Timeout(300)
class WindowsFirewallIntegrationTest {
  private static final String HOST = "192.0.2.10"; // TEST-NET-1: never a real host
  private static final int PORT = 49_999;
  private static final String CANARY = "sandboxkit-it-canary";

  @TempDir Path dir;
  private Path saved;

  @BeforeEach
  void saveThePolicy() throws Exception {
    saved = dir.resolve("before.wfw");
    assertEquals(0, netsh("export", saved.toString()).exit(), "netsh advfirewall export (elevated shell?)");
    // A start that lets us see each change: firewall off, allow both ways, one rule of our own.
    assertEquals(0, netsh("set", "allprofiles", "state", "off").exit());
    assertEquals(0, netsh("set", "allprofiles", "firewallpolicy", "allowinbound,allowoutbound").exit());
    assertEquals(0, netsh("firewall", "add", "rule", "name=" + CANARY, "dir=out", "action=allow",
        "protocol=tcp", "remoteport=80", "profile=any", "enable=yes").exit());
  }

  @AfterEach
  void restoreThePolicy() throws Exception {
    assertEquals(0, netsh("import", saved.toString()).exit(), "netsh advfirewall import " + saved);
  }

  @Test
  void lockdownLeavesOnlyTheHostRulesAndBlocksByDefault() throws Exception {
    NetworkGuard guard = new NetworkGuard(NetworkMode.BLOCK, true, Netsh.PROCESS);
    guard.beforeBind();
    assertTrue(ruleExists(NetshCommands.PREAUTH_RULE), "the pre-authorization rule was not added");

    NetworkVerdict v = guard.lockDown(HOST, PORT);
    assertTrue(v.jobsAllowed(), v.reason());
    assertFalse(ruleExists(CANARY), "delete rule name=all left an existing rule");
    assertFalse(ruleExists(NetshCommands.PREAUTH_RULE), "the pre-authorization rule outlived the lockdown");
    for (String rule : List.of(NetshCommands.HOST_IN_RULE, NetshCommands.HOST_OUT_RULE)) {
      String text = netsh("firewall", "show", "rule", "name=" + rule, "verbose").output();
      assertTrue(text.contains(HOST), rule + ": " + text);
      assertTrue(text.contains(Integer.toString(PORT)), rule + ": " + text);
    }
    assertLockedDown();
  }

  /** A lockdown that fails midway (the outbound host rule refused) rolls back to blocking. */
  @Test
  void aLockdownThatFailsMidwayRollsBackToBlockingAndRefusesJobs() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    List<List<String>> ran = new ArrayList<>();
    Netsh failing = command -> {
      ran.add(command);
      if (command.contains("name=" + NetshCommands.HOST_OUT_RULE) && command.contains("add")) {
        calls.incrementAndGet();
        return 1; // as netsh does when it refuses a rule
      }
      return Netsh.PROCESS.run(command);
    };
    NetworkVerdict v = new NetworkGuard(NetworkMode.BLOCK, true, failing).lockDown(HOST, PORT);
    assertFalse(v.jobsAllowed());
    assertTrue(v.reason().startsWith("network lockdown failed"), v.reason());
    assertEquals(1, calls.get(), "the failing step ran once: " + ran);
    assertFalse(ruleExists(CANARY), "the steps before the failure ran for real");
    assertTrue(ruleExists(NetshCommands.HOST_IN_RULE), "rules added before the failure stay (host only)");
    assertFalse(ruleExists(NetshCommands.HOST_OUT_RULE));
    assertLockedDown();
  }

  /** A lockdown whose rule deletion fails (before any rule is added) still ends with the firewall on and blocking. */
  @Test
  void aLockdownWhoseDeleteFailsStillEndsBlocking() throws Exception {
    Netsh failing = command -> command.contains("delete") ? 1 : Netsh.PROCESS.run(command);
    NetworkVerdict v = new NetworkGuard(NetworkMode.BLOCK, true, failing).lockDown(HOST, PORT);
    assertFalse(v.jobsAllowed());
    assertTrue(ruleExists(CANARY), "nothing after the failed step ran");
    assertLockedDown();
  }

  private void assertLockedDown() throws Exception {
    String state = netsh("show", "allprofiles", "state").output();
    assertFalse(state.matches("(?s).*\\bOFF\\b.*"), "a profile is off:\n" + state);
    String policy = netsh("show", "allprofiles", "firewallpolicy").output();
    int blocking = policy.split("BlockInbound,BlockOutbound", -1).length - 1;
    assertEquals(3, blocking, "domain, private and public must block both ways:\n" + policy);
  }

  private static boolean ruleExists(String name) throws Exception {
    return netsh("firewall", "show", "rule", "name=" + name).exit() == 0;
  }

  record Result(int exit, String output) {}

  private static Result netsh(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("netsh", "advfirewall"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String out = new String(p.getInputStream().readAllBytes(), Charset.defaultCharset());
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "netsh did not finish: " + command);
      return new Result(p.exitValue(), out);
    } finally {
      p.destroyForcibly();
    }
  }
}
