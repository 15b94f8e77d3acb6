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
    for (int code = 0; code <= 6; code++) {
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
}
