package dev.sandboxkit.lifecycle.internal.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.lifecycle.FailurePhase;
import dev.sandboxkit.lifecycle.SandboxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuestJarTest {
  @TempDir Path dir;

  @Test
  void propertyThenEnvThenNextToTheLibrary() throws Exception {
    Path a = Files.writeString(dir.resolve("a.jar"), "");
    Path b = Files.writeString(dir.resolve("b.jar"), "");
    Path lib = Files.createDirectories(dir.resolve("lib"));
    Path next = Files.writeString(lib.resolve("sandboxkit-guest.jar"), "");
    Path self = lib.resolve("sandbox-lifecycle.jar");
    assertEquals(a, GuestJar.locate(a.toString(), Map.of(GuestJar.ENV, b.toString()), Optional.of(self)));
    assertEquals(b, GuestJar.locate(null, Map.of(GuestJar.ENV, b.toString()), Optional.of(self)));
    assertEquals(next, GuestJar.locate("", Map.of(), Optional.of(self)));
    assertEquals(next, GuestJar.locate(dir.resolve("gone.jar").toString(), Map.of(), Optional.of(self)));
  }

  @Test
  void missingEverywhereNamesAllThree() {
    SandboxException e = assertThrows(SandboxException.class, () -> GuestJar.locate(
        dir.resolve("p.jar").toString(), Map.of(GuestJar.ENV, dir.resolve("e.jar").toString()),
        Optional.of(dir.resolve("lib.jar"))));
    assertEquals(FailurePhase.REJECTED, e.phase());
    assertTrue(e.detail().contains("sandboxkit.guest.jar=" + dir.resolve("p.jar")), e.detail());
    assertTrue(e.detail().contains("SANDBOXKIT_GUEST_JAR=" + dir.resolve("e.jar")), e.detail());
    assertTrue(e.detail().contains(dir.resolve("sandboxkit-guest.jar").toString()), e.detail());
  }
}
