package dev.sandboxkit.lifecycle.internal.vm.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Structure;
import java.io.File;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Checks JNA structure layouts and Win32 constants against Microsoft's headers as shipped by
 * mingw-w64: generates a C file of {@code _Static_assert}s (sizeof, offsetof, constant values) from
 * the Java side and compiles it with {@code x86_64-w64-mingw32-gcc -c}; any mismatch is a compile
 * error naming the structure and field. (A copy of this class lives in each module that maps Win32.)
 */
final class HeaderCheck {
  static final String COMPILER = "x86_64-w64-mingw32-gcc";

  private final StringBuilder c = new StringBuilder(
      "#define _WIN32_WINNT 0x0A00\n#include <windows.h>\n#include <tlhelp32.h>\n#include <aclapi.h>\n#include <stddef.h>\n\n");
  private int checks;

  /** sizeof and every field's offsetof: JNA's layout on this 64-bit JVM against the header's x64 layout. */
  HeaderCheck struct(String cType, Structure s) {
    return struct(cType, s, java.util.Map.of());
  }

  /** As {@link #struct(String, Structure)}, with the header's name for Java fields named differently. */
  HeaderCheck struct(String cType, Structure s, java.util.Map<String, String> cNames) {
    assertEquals(8, com.sun.jna.Native.POINTER_SIZE, "the layout check assumes a 64-bit JVM");
    assert_("sizeof(" + cType + ") == " + s.size(), cType + " size " + s.size());
    for (String field : fieldOrder(s)) {
      int off = offset(s, field);
      String c = cNames.getOrDefault(field, field);
      assert_("offsetof(" + cType + ", " + c + ") == " + off, cType + "." + c + " at " + off);
    }
    return this;
  }

  /** A constant's value as the unsigned 32-bit value the header defines. */
  HeaderCheck constant(String cName, long value) {
    String v = Long.toUnsignedString(value & 0xFFFF_FFFFL);
    assert_("(unsigned int)(" + cName + ") == " + v + "u", cName + " == " + v);
    return this;
  }

  private void assert_(String expr, String message) {
    c.append("_Static_assert(").append(expr).append(", \"").append(message).append("\");\n");
    checks++;
  }

  int checks() {
    return checks;
  }

  String source() {
    return c.toString();
  }

  /** Compiles the checks; skips (with the reason) only when the compiler is not installed and not in CI. */
  void compile(Path dir) throws Exception {
    Optional<Path> gcc = onPath(COMPILER);
    if (gcc.isEmpty()) {
      String reason = COMPILER + " is not installed (Debian package mingw-w64; .ci/run installs it)";
      assertTrue(!"true".equalsIgnoreCase(System.getenv("CI")), reason + ", and CI must run this check");
      Assumptions.abort(reason);
    }
    Path src = dir.resolve("header_check.c");
    Files.writeString(src, source(), StandardCharsets.UTF_8);
    Process p = new ProcessBuilder(gcc.get().toString(), "-c", "-std=c11", "-o", dir.resolve("header_check.o").toString(),
        src.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), COMPILER + " did not finish");
    assertEquals(0, p.exitValue(), "the JNA mappings disagree with the Windows headers:\n" + out);
  }

  static Optional<Path> onPath(String exe) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(d, exe);
      if (!d.isEmpty() && Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  private static List<String> fieldOrder(Structure s) {
    try {
      Method m = Structure.class.getDeclaredMethod("getFieldOrder");
      m.setAccessible(true);
      @SuppressWarnings("unchecked")
      List<String> order = (List<String>) m.invoke(s);
      return order;
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  private static int offset(Structure s, String field) {
    try {
      Method m = Structure.class.getDeclaredMethod("fieldOffset", String.class);
      m.setAccessible(true);
      return (Integer) m.invoke(s, field);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}
