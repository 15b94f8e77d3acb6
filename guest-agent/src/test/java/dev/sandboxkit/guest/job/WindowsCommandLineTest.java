package dev.sandboxkit.guest.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class WindowsCommandLineTest {
  /** Quoting cases from mxc's e2e configs and the ones ProcessBuilder would rewrite. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "powershell -NoProfile -Command \"Write-Output 'hello'\"",
        "echo stdout-message && echo stderr-message 1>&2",
        "exit /b 42",
        "\"C:\\Program Files\\App\\app.exe\" \"arg with spaces\"",
        "dir C:\\",
        "echo %PATH% ^& | > < ( ) @",
        "echo ünïcödé",
        ""
      })
  void theScriptReachesCmdExeVerbatim(String script) {
    String line = WindowsCommandLine.build(script);
    assertEquals("cmd.exe /C " + script, line);
    char[] buf = WindowsCommandLine.toBuffer(line);
    assertEquals(line.length() + 1, buf.length);
    assertEquals('\0', buf[buf.length - 1]);
    assertEquals(line, new String(buf, 0, line.length()));
  }

  @Test
  void aNulCharacterIsRefusedWithItsIndex() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> WindowsCommandLine.build("echo a\0b"));
    assertTrue(e.getMessage().contains("index 6"), e.getMessage());
  }

  @Test
  void anOverlongCommandLineIsRefusedWithBothNumbers() {
    String ok = "x".repeat(WindowsCommandLine.MAX_LENGTH - 1 - "cmd.exe /C ".length());
    assertEquals(WindowsCommandLine.MAX_LENGTH - 1, WindowsCommandLine.build(ok).length());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> WindowsCommandLine.build(ok + "x"));
    assertTrue(e.getMessage().contains("32768") && e.getMessage().contains("32767"), e.getMessage());
  }

  @Test
  void cmdExeComesFromTheSystemDirectory() {
    assertEquals("C:\\Windows\\system32\\cmd.exe", WindowsCommandLine.cmdExePath("C:\\Windows\\system32"));
    assertEquals("C:\\Windows\\system32\\cmd.exe", WindowsCommandLine.cmdExePath("C:\\Windows\\system32\\"));
  }
}
