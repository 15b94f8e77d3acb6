package dev.sandboxkit.lifecycle.internal.vm.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Golden files under src/test/resources/windows/, stored with LF line endings (so no git setting can
 * change them) and compared after turning LF into CRLF: the generated files use CRLF.
 */
final class Golden {
  private Golden() {}

  static String read(String name) {
    try (InputStream in = Golden.class.getResourceAsStream("/windows/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing golden file /windows/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n").replace("\n", "\r\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void assertMatches(String name, String actual) {
    assertFalse(actual.replace("\r\n", "").contains("\n"), "only CRLF line endings");
    assertEquals(read(name), actual, "golden file " + name);
  }
}
