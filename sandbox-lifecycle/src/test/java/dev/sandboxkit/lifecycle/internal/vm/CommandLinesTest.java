package dev.sandboxkit.lifecycle.internal.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class CommandLinesTest {

  @Test
  void posixKeepsSafeWordsBare() {
    assertEquals("echo hello", CommandLines.joinPosix(List.of("echo", "hello")));
    assertEquals("ls -la /tmp/x_y.z", CommandLines.joinPosix(List.of("ls", "-la", "/tmp/x_y.z")));
  }

  @Test
  void posixQuotesSpacesAndMetacharacters() {
    assertEquals("echo 'a b'", CommandLines.joinPosix(List.of("echo", "a b")));
    assertEquals("sh -c 'exit 3'", CommandLines.joinPosix(List.of("sh", "-c", "exit 3")));
    assertEquals("echo '$HOME' '&&' 'a;b' '*'",
        CommandLines.joinPosix(List.of("echo", "$HOME", "&&", "a;b", "*")));
    assertEquals("echo ''", CommandLines.joinPosix(List.of("echo", "")));
  }

  @Test
  void posixEscapesSingleQuotes() {
    assertEquals("echo 'it'\\''s'", CommandLines.joinPosix(List.of("echo", "it's")));
  }

  @Test
  void nulIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> CommandLines.joinPosix(List.of("a\0b")));
    assertThrows(IllegalArgumentException.class, () -> CommandLines.joinCmd(List.of("a\0b")));
  }

  @Test
  void platformsQuoteArgvAndPassShellLinesVerbatim() {
    assertEquals("echo 'a b'", GuestPlatform.POSIX.script(dev.sandboxkit.lifecycle.Command.argv("echo", "a b")));
    assertEquals("echo \"a b\"",
        GuestPlatform.WINDOWS_CMD.script(dev.sandboxkit.lifecycle.Command.argv("echo", "a b")));
    assertEquals("echo 'x' && ls", GuestPlatform.POSIX.script(dev.sandboxkit.lifecycle.Command.shell("echo 'x' && ls")));
  }

  @Test
  @EnabledOnOs({OS.LINUX, OS.MAC})
  @Timeout(60)
  void posixRoundTripsThroughARealShell() throws Exception {
    List<String> argv = List.of("a b", "it's", "", "$HOME", "`id`", "\"q\"", "back\\slash", "*",
        "new\nline", "tab\there", "ü∂", "--", "-n", "!x", "a'b'c", "'", "\\'");
    String line = CommandLines.joinPosix(prepend("printf", "[%s]\\n", argv));
    assertEquals(bracketed(argv), sh(line));
  }

  @Test
  void cmdQuotesLikeMxc() {
    assertEquals("echo hi", CommandLines.joinCmd(List.of("echo", "hi")));
    assertEquals("echo \"a b\"", CommandLines.joinCmd(List.of("echo", "a b")));
    assertEquals("echo \"\"", CommandLines.joinCmd(List.of("echo", "")));
    assertEquals("echo \"a&b\" \"x|y\" \"<\" \">\" \"^\" \"(\" \")\"",
        CommandLines.joinCmd(List.of("echo", "a&b", "x|y", "<", ">", "^", "(", ")")));
    assertEquals("echo %PATH% !x!", CommandLines.joinCmd(List.of("echo", "%PATH%", "!x!")));
  }

  @Test
  void cmdEscapesQuotesAndDoublesBackslashesBeforeThem() {
    assertEquals("\"say \\\"hi\\\"\"", CommandLines.joinCmd(List.of("say \"hi\"")));
    assertEquals("\"a\\\\\\\"b\"", CommandLines.joinCmd(List.of("a\\\"b")));
    assertEquals("\"C:\\dir with space\\\\\"", CommandLines.joinCmd(List.of("C:\\dir with space\\")));
    assertEquals("C:\\plain\\", CommandLines.joinCmd(List.of("C:\\plain\\")));
  }

  @Test
  void cmdQuotesThePowershellCaseOfMxcsConfigs() {
    List<String> argv = List.of("powershell", "-NoProfile", "-Command",
        "Write-Output 'hello'");
    assertEquals("powershell -NoProfile -Command \"Write-Output 'hello'\"", CommandLines.joinCmd(argv));
  }

  @Property(tries = 500)
  void cmdRoundTripsThroughCommandLineToArgvRules(@ForAll("args") List<String> argv) {
    assertEquals(argv, parseWindows(CommandLines.joinCmd(argv)));
  }

  @Provide
  Arbitrary<List<String>> args() {
    return Arbitraries.strings().withChars("ab \t\"\\&|<>^()%!'x")
        .ofMinLength(0).ofMaxLength(12).list().ofMinSize(1).ofMaxSize(5);
  }

  /** CommandLineToArgvW / MSVC rules (post-2008): the decoder the guest's programs use. */
  static List<String> parseWindows(String line) {
    List<String> out = new ArrayList<>();
    int i = 0;
    int n = line.length();
    while (true) {
      while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
        i++;
      }
      if (i >= n) {
        return out;
      }
      StringBuilder arg = new StringBuilder();
      boolean inQuotes = false;
      while (i < n) {
        char c = line.charAt(i);
        if ((c == ' ' || c == '\t') && !inQuotes) {
          break;
        }
        if (c == '\\') {
          int bs = 0;
          while (i < n && line.charAt(i) == '\\') {
            bs++;
            i++;
          }
          if (i < n && line.charAt(i) == '"') {
            arg.append("\\".repeat(bs / 2));
            if (bs % 2 == 1) {
              arg.append('"');
              i++;
            }
          } else {
            arg.append("\\".repeat(bs));
          }
          continue;
        }
        if (c == '"') {
          if (inQuotes && i + 1 < n && line.charAt(i + 1) == '"') {
            arg.append('"');
            i += 2;
            continue;
          }
          inQuotes = !inQuotes;
          i++;
          continue;
        }
        arg.append(c);
        i++;
      }
      out.add(arg.toString());
    }
  }

  private static List<String> prepend(String a, String b, List<String> rest) {
    List<String> l = new ArrayList<>(List.of(a, b));
    l.addAll(rest);
    return l;
  }

  private static String bracketed(List<String> argv) {
    StringBuilder sb = new StringBuilder();
    argv.forEach(a -> sb.append('[').append(a).append("]\n"));
    return sb.toString();
  }

  private static String sh(String line) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("/bin/sh", "-c", line).redirectErrorStream(true).start();
    try {
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("sh did not finish");
      }
      return new String(out, StandardCharsets.UTF_8);
    } finally {
      p.destroyForcibly();
    }
  }
}
