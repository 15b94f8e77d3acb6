package dev.sandboxkit.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.guest.firewall.NetworkMode;
import dev.sandboxkit.guest.listener.Transport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Main.run(List.of(args), new PrintStream(out, true), new PrintStream(err, true));
  }

  @Test
  void helpPrintsUsageAndEveryExitCode() {
    assertEquals(0, run("--help"));
    String s = out.toString();
    assertTrue(s.contains("--transport tcp|unix"));
    assertTrue(s.contains("--lifeline stdin|none"), s);
    assertTrue(s.contains("--connect-timeout SECONDS"), s);
    assertTrue(s.contains("  7  host lifeline closed"), s);
    for (int code = 0; code <= ExitCodes.LIFELINE; code++) {
      assertTrue(s.contains("\n  " + code + "  "), "exit code " + code + " missing from --help");
    }
  }

  @Test
  void versionPrintsTheVersion() {
    assertEquals(0, run("--version"));
    assertTrue(out.toString().startsWith("sandboxkit-guest "));
  }

  @Test
  void usageErrorsExitWithTwoAndSayWhy() {
    assertEquals(ExitCodes.USAGE, run("--transport", "unix"));
    assertTrue(err.toString().contains("--rendezvous DIR is required"), err.toString());
    assertEquals(ExitCodes.USAGE, run("--rendezvous", "/x", "--transport", "udp"));
    assertTrue(err.toString().contains("--transport must be tcp or unix, got 'udp'"), err.toString());
    assertEquals(ExitCodes.USAGE, run("--bogus"));
    assertEquals(ExitCodes.USAGE, run("--rendezvous"));
    assertEquals(ExitCodes.USAGE, run("--rendezvous", "/x", "--transport", "unix", "--network", "maybe"));
  }

  @Test
  void parsesTheHostsCommandLine() throws Exception {
    AgentOptions o =
        AgentOptions.parse(List.of("--transport", "unix", "--rendezvous", "/r", "--network", "block"));
    assertEquals(Transport.UNIX, o.transport());
    assertEquals(Path.of("/r"), o.rendezvous());
    assertEquals(NetworkMode.BLOCK, o.network());
    AgentOptions t = AgentOptions.parse(List.of("--transport=tcp", "--rendezvous=C:\\R", "--advertise-host=127.0.0.1"));
    assertEquals(Transport.TCP, t.transport());
    assertEquals("127.0.0.1", t.advertiseHost());
    assertEquals(NetworkMode.BLOCK, t.network(), "block is the default");
    assertThrows(AgentOptions.UsageException.class,
        () -> AgentOptions.parse(List.of("--transport", "unix", "--rendezvous", "/r", "--advertise-host", "x")));
  }

  @Test
  void lifelineAndConnectTimeoutDefaultsAndValues() throws Exception {
    AgentOptions d = AgentOptions.parse(List.of("--transport", "unix", "--rendezvous", "/r"));
    assertEquals(Lifeline.Mode.NONE, d.lifeline(), "no lifeline unless asked (Windows Sandbox has none)");
    assertEquals(java.time.Duration.ofSeconds(600), d.sessionWait());
    AgentOptions o = AgentOptions.parse(
        List.of("--transport", "unix", "--rendezvous", "/r", "--lifeline", "stdin", "--connect-timeout=30"));
    assertEquals(Lifeline.Mode.STDIN, o.lifeline());
    assertEquals(java.time.Duration.ofSeconds(30), o.sessionWait());
    assertEquals(Lifeline.Mode.NONE,
        AgentOptions.parse(List.of("--transport", "unix", "--rendezvous", "/r", "--lifeline=none")).lifeline());
  }

  @Test
  void badLifelineOrConnectTimeoutExitWithTwoAndSayWhy() {
    assertEquals(ExitCodes.USAGE, run("--transport", "unix", "--rendezvous", "/r", "--lifeline", "fd3"));
    assertTrue(err.toString().contains("--lifeline must be stdin or none, got 'fd3'"), err.toString());
    for (String bad : List.of("0", "-5", "1.5", "ten", "86401")) {
      err.reset();
      assertEquals(ExitCodes.USAGE, run("--transport", "unix", "--rendezvous", "/r", "--connect-timeout", bad));
      assertTrue(err.toString().contains("--connect-timeout must be whole seconds from 1 to 86400, got '" + bad + "'"),
          err.toString());
    }
    assertEquals(ExitCodes.USAGE, run("--transport", "unix", "--rendezvous", "/r", "--lifeline"));
  }
}
