package dev.sandboxkit.lifecycle.internal.vm.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CmdQuotingTest {
  @Test
  void safeArgumentsStayBare() {
    assertEquals("C:\\Sandbox-Java\\bin\\java.exe", CmdQuoting.batchArgument("C:\\Sandbox-Java\\bin\\java.exe", "x"));
    assertEquals("-XX:+UseSerialGC", CmdQuoting.batchArgument("-XX:+UseSerialGC", "x"));
    assertEquals("-Da=b,c@d", CmdQuoting.batchArgument("-Da=b,c@d", "x"));
  }

  @Test
  void specialCharactersAreQuoted() {
    assertEquals("\"a b\"", CmdQuoting.batchArgument("a b", "x"));
    assertEquals("\"a&b\"", CmdQuoting.batchArgument("a&b", "x"));
    assertEquals("\"a|b<c>d(e)f^g\"", CmdQuoting.batchArgument("a|b<c>d(e)f^g", "x"));
    assertEquals("\"\"", CmdQuoting.batchArgument("", "x"));
    assertEquals("\"!x!\"", CmdQuoting.batchArgument("!x!", "x"));
  }

  @Test
  void percentIsDoubledForBatchFiles() {
    assertEquals("\"100%%\"", CmdQuoting.batchArgument("100%", "x"));
    assertEquals("\"%%PATH%%\"", CmdQuoting.batchArgument("%PATH%", "x"));
  }

  @Test
  void trailingBackslashesAreDoubledInsideQuotesOnly() {
    assertEquals("\"C:\\a b\\\\\"", CmdQuoting.batchArgument("C:\\a b\\", "x"));
    assertEquals("\"C:\\a b\\\\\\\\\"", CmdQuoting.batchArgument("C:\\a b\\\\", "x"));
    assertEquals("C:\\ab\\", CmdQuoting.batchArgument("C:\\ab\\", "x"));
    assertEquals("\"C:\\a\\b c\"", CmdQuoting.batchArgument("C:\\a\\b c", "x"), "inner backslashes are literal");
  }

  @Test
  void quotesControlsAndNonAsciiAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> CmdQuoting.batchArgument("a\"b", "x"));
    assertThrows(IllegalArgumentException.class, () -> CmdQuoting.batchArgument("a\nb", "x"));
    assertThrows(IllegalArgumentException.class, () -> CmdQuoting.batchArgument("a\u007Fb", "x"));
    assertThrows(IllegalArgumentException.class, () -> CmdQuoting.batchArgument("é", "x"));
    assertThrows(IllegalArgumentException.class, () -> CmdQuoting.requirePlain("a!b", "x"));
    CmdQuoting.requirePlain("C:\\a b & c\\d.cmd", "x");
  }
}
