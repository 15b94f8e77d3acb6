package dev.sandboxkit.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link Arguments}: the exact argument bytes from /proc/self/cmdline (issue 13.6, 14.7). */
class ArgumentsTest {

  private static byte[] cmdline(byte[]... entries) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] e : entries) {
      out.writeBytes(e);
      out.write(0);
    }
    return out.toByteArray();
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void anAsciiLocaleGetsTheExactUtf8Back() throws Exception {
    byte[] raw = cmdline(b("java"), b("-jar"), b("x.jar"), b("run"), b("--"), b("ünï 😀"), b(""));
    String jvm = new String(b("ünï 😀"), StandardCharsets.US_ASCII); // what the JVM made of it
    String[] out = Arguments.exact(new String[] {"run", "--", jvm, ""}, raw, StandardCharsets.US_ASCII);
    assertArrayEquals(new String[] {"run", "--", "ünï 😀", ""}, out);
  }

  @Test
  void invalidUtf8IsRefusedNotReplaced() {
    byte[] bad = {'a', (byte) 0xFF, 'b'};
    byte[] raw = cmdline(b("java"), b("-jar"), b("x.jar"), b("run"), b("--"), b("echo"), bad);
    String jvm = new String(bad, StandardCharsets.UTF_8);
    Arguments.InvalidArgument e = assertThrows(Arguments.InvalidArgument.class,
        () -> Arguments.exact(new String[] {"run", "--", "echo", jvm}, raw, StandardCharsets.UTF_8));
    assertEquals(3, e.index);
    assertEquals("argument 4 is not valid UTF-8", e.getMessage());
  }

  @Test
  void otherArgumentsThanTheProcesssAreKept() throws Exception {
    byte[] raw = cmdline(b("java"), b("Other"), b("x"));
    String[] args = {"run", "--", "y"};
    assertArrayEquals(args, Arguments.exact(args, raw, StandardCharsets.UTF_8));
  }

  @Test
  void thisJvmsArgumentsAreUnchanged() throws Exception {
    String[] none = {};
    assertArrayEquals(none, Arguments.exact(none));
  }

  @Test
  void theCommandGetsTheHostsOwnLocaleNotTheLaunchersForcedOne() {
    Map<String, String> host = Map.of("LC_CTYPE", "C.UTF-8", "LANG", "de_DE.ISO-8859-1",
        "SANDBOXKIT_HOST_LC_CTYPE", "-", "SANDBOXKIT_HOST_LC_ALL", "POSIX");
    Map<String, String> env = EnvOptions.resolve(List.of(), List.of(), List.of(), host);
    assertEquals(null, env.get("LC_CTYPE"));
    assertEquals("POSIX", env.get("LC_ALL"));
    assertEquals("de_DE.ISO-8859-1", env.get("LANG"));
  }
}
