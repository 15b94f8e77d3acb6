package dev.sandboxkit.cli;

import static dev.sandboxkit.cli.Asserts.assertContains;
import static dev.sandboxkit.cli.Asserts.assertNotContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sandboxkit.lifecycle.SandboxDriver.Check;
import java.util.List;
import org.junit.jupiter.api.Test;

class DoctorAndCleanupTest {
  private static final Backend.DriverReport READY = new Backend.DriverReport("bubblewrap", true, List.of(
      new Check("bwrap installed", true, "/usr/bin/bwrap", ""),
      new Check("user namespaces usable", true, "running as root", "")));
  private static final Backend.DriverReport WINDOWS = new Backend.DriverReport("windows-sandbox", false,
      List.of(new Check("Windows host", false, "this host runs Linux", "use a Windows 10/11 Pro host")));
  private static final Backend.DriverReport BROKEN = new Backend.DriverReport("bubblewrap", true, List.of(
      new Check("bwrap installed", false, "bwrap not found on PATH", "apt-get install bubblewrap")));

  @Test
  void readyDefaultDriverExitsZeroWithTicksAndFixes() {
    Cli cli = new Cli();
    cli.backend.reports = List.of(READY, WINDOWS);
    assertEquals(0, cli.execute("doctor"));
    String out = cli.out();
    assertContains(out, "bubblewrap (default driver)\n", "  ✓ bwrap installed — /usr/bin/bwrap\n",
        "windows-sandbox\n", "  ✗ Windows host — this host runs Linux\n",
        "      fix: use a Windows 10/11 Pro host\n", "ready: the default driver bubblewrap");
  }

  @Test
  void aFailedCheckOfTheDefaultDriverExitsOne() {
    Cli cli = new Cli();
    cli.backend.reports = List.of(BROKEN, WINDOWS);
    assertEquals(1, cli.execute("doctor"));
    assertContains(cli.out(), "✗ bwrap installed", "fix: apt-get install bubblewrap", "not ready");
  }

  @Test
  void aDriverWithoutChecksIsNotReady() {
    assertFalse(new Backend.DriverReport("x", true, List.of()).ready());
  }

  @Test
  void jsonHasTheDocumentedShape() throws Exception {
    Cli cli = new Cli();
    cli.backend.reports = List.of(BROKEN, WINDOWS);
    assertEquals(1, cli.execute("doctor", "--json"));
    JsonNode j = new ObjectMapper().readTree(cli.out());
    assertEquals("bubblewrap", j.get("default_driver").asText());
    assertFalse(j.get("ready").asBoolean());
    JsonNode check = j.get("drivers").get(0).get("checks").get(0);
    assertEquals("bwrap installed", check.get("name").asText());
    assertFalse(check.get("ok").asBoolean());
    assertEquals("apt-get install bubblewrap", check.get("fix").asText());
    assertTrue(j.get("drivers").get(0).get("default").asBoolean());
    assertEquals("windows-sandbox", j.get("drivers").get(1).get("driver").asText());
  }

  @Test
  void cleanupReportsWhatItRemoved() {
    Cli cli = new Cli();
    cli.backend.cleanupReport = new Backend.CleanupReport(false,
        List.of("removed /tmp/sandboxkit/oneshot/abc"));
    assertEquals(0, cli.execute("cleanup"));
    assertEquals("removed /tmp/sandboxkit/oneshot/abc\n", cli.out());
    assertEquals(List.of("bubblewrap"), cli.backend.cleanups);
  }

  @Test
  void cleanupWithNothingToDoSaysSo() {
    Cli cli = new Cli();
    assertEquals(0, cli.execute("cleanup", "--driver", "bubblewrap", "--force-reclaim"));
    assertContains(cli.out(), "nothing to clean up (bubblewrap)");
    assertEquals(List.of("bubblewrap force"), cli.backend.cleanups);
  }

  @Test
  void cleanupThatRefusesSaysWhyAndExitsOne() {
    Cli cli = new Cli();
    cli.backend.cleanupReport = new Backend.CleanupReport(true,
        List.of("a Windows Sandbox VM is running that this run cannot prove it owns"));
    assertEquals(1, cli.execute("cleanup"));
    assertContains(cli.err(), "sandboxkit: cleanup refused: a Windows Sandbox VM is running");
    assertNotContains(cli.out(), "removed");
  }
}
