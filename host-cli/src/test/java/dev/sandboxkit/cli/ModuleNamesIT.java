package dev.sandboxkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Issue 16.7: every jar we ship names its JPMS module, read from the built manifests. */
class ModuleNamesIT {
  static final Path CHECKOUT = Path.of(System.getProperty("sandboxkit.it.cliJar")).toAbsolutePath()
      .getParent().getParent().getParent();

  /** The module's plain jar (not -sources/-tests), in the build folder next to the CLI jar's. */
  static Path jar(String module) throws IOException {
    Path dir = CHECKOUT.resolve(module).resolve(Path.of(System.getProperty("sandboxkit.it.cliJar")).getParent()
        .getFileName());
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> jars = s.filter(p -> p.getFileName().toString().matches(module + "-[0-9].*(?<!-sources|-tests)\\.jar"))
          .collect(Collectors.toList());
      assertEquals(1, jars.size(), dir + ": " + jars);
      return jars.get(0);
    }
  }

  static String name(Path jar) throws IOException {
    try (JarFile f = new JarFile(jar.toFile())) {
      return f.getManifest().getMainAttributes().getValue("Automatic-Module-Name");
    }
  }

  @Test
  void everyJarNamesItsModule() throws IOException {
    Map<String, String> plain = Map.of("sandbox-protocol", "dev.sandboxkit.protocol",
        "sandbox-auth", "dev.sandboxkit.auth", "sandbox-lifecycle", "dev.sandboxkit.lifecycle",
        "guest-agent", "dev.sandboxkit.guest", "host-cli", "dev.sandboxkit.cli",
        "guest-agent-bundle", "dev.sandboxkit.guest.bundle");
    for (Map.Entry<String, String> e : plain.entrySet()) {
      assertEquals(e.getValue(), name(jar(e.getKey())), e.getKey());
    }
    assertEquals("dev.sandboxkit.cli", name(Path.of(System.getProperty("sandboxkit.it.cliJar"))));
    assertEquals("dev.sandboxkit.guest", name(Path.of(System.getProperty("sandboxkit.it.guestJar"))));
  }

  /** The JDK reads the library jars as modules of those names (what a module-path user gets). */
  @Test
  void theJdkSeesTheNamedModules() throws IOException {
    for (String m : List.of("sandbox-protocol", "sandbox-auth", "sandbox-lifecycle")) {
      Path jar = jar(m);
      List<String> found = ModuleFinder.of(jar).findAll().stream().map(ModuleReference::descriptor)
          .map(d -> d.name()).collect(Collectors.toList());
      assertEquals(List.of(name(jar)), found, jar.toString());
      assertTrue(found.get(0).startsWith("dev.sandboxkit."), found.toString());
    }
  }
}
