package dev.sandboxkit.lifecycle.internal.vm.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class BootstrapScriptTest {
  @Test
  void defaultGolden() {
    Golden.assertMatches("bootstrap-default.cmd",
        BootstrapScript.render("sandboxkit-guest.jar", BootstrapScript.DEFAULT_JVM_OPTIONS));
  }

  @Test
  void quotingGolden() {
    Golden.assertMatches("bootstrap-quoting.cmd", BootstrapScript.render("sandboxkit guest & co (100%).jar",
        List.of("-XX:+UseSerialGC", "-Dsandboxkit.note=a b^c", "-Dpath=C:\\dir with space\\", "-Xmx256m")));
  }

  @Test
  void startsTheAgentWithTcpTransportAndTheRendezvousFolder() {
    String s = BootstrapScript.render("sandboxkit-guest.jar", List.of());
    assertTrue(s.contains("C:\\Sandbox-Java\\bin\\java.exe -jar C:\\Sandbox-Guest\\sandboxkit-guest.jar"
        + " --transport tcp --network block --rendezvous C:\\Sandbox-Rendezvous"
        + " >> C:\\Sandbox-Rendezvous\\bootstrap.log 2>&1\r\n"), s);
    assertTrue(s.contains("type nul > C:\\Sandbox-Rendezvous\\bootstrap.log\r\n"), "truncates the log first");
    assertTrue(s.indexOf("type nul >") < s.indexOf("java.exe"));
    // Redirection before echo: "code 0>> file" would redirect handle 0 instead of writing "0".
    assertTrue(s.contains(">> C:\\Sandbox-Rendezvous\\bootstrap.log echo sandboxkit bootstrap: the guest agent"
        + " exited with code %ERRORLEVEL%\r\n"));
    assertEquals(s, new String(s.getBytes(StandardCharsets.US_ASCII), StandardCharsets.US_ASCII), "ASCII only");
  }

  @Test
  void rejectsNamesAndOptionsThatCannotBeWrittenSafely() {
    assertThrows(IllegalArgumentException.class, () -> BootstrapScript.render("", List.of()));
    assertThrows(IllegalArgumentException.class, () -> BootstrapScript.render("lib\\guest.jar", List.of()));
    assertThrows(IllegalArgumentException.class, () -> BootstrapScript.render("lib/guest.jar", List.of()));
    IllegalArgumentException q = assertThrows(IllegalArgumentException.class,
        () -> BootstrapScript.render("guest\".jar", List.of()));
    assertTrue(q.getMessage().contains("double quote"), q.getMessage());
    IllegalArgumentException n = assertThrows(IllegalArgumentException.class,
        () -> BootstrapScript.render("gäst.jar", List.of()));
    assertTrue(n.getMessage().contains("ASCII"), n.getMessage());
    assertThrows(IllegalArgumentException.class, () -> BootstrapScript.render("g.jar", List.of("-Da=b\r\nc")));
  }
}
