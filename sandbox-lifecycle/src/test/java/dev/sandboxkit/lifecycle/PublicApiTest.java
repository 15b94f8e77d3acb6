package dev.sandboxkit.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Fails when the set of public types in {@code dev.sandboxkit} (the entry points) or {@code
 * dev.sandboxkit.lifecycle} (the value types) changes: update {@code api/sandbox-lifecycle.txt}
 * deliberately when you change the public API.
 */
class PublicApiTest {

  @Test
  void publicTypesMatchTheCommittedListing() throws Exception {
    Path listing = Path.of(System.getProperty("user.dir"), "api", "sandbox-lifecycle.txt");
    List<String> expected = Files.readAllLines(listing).stream()
        .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).collect(Collectors.toList());
    assertEquals(expected, publicTypes(), "public API of dev.sandboxkit(.lifecycle) changed; update " + listing);
  }

  static List<String> publicTypes() throws IOException, URISyntaxException, ClassNotFoundException {
    Path root = Path.of(SandboxDriver.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .resolve("dev/sandboxkit");
    TreeSet<String> names = new TreeSet<>();
    for (String pkg : List.of("", "lifecycle")) {
      try (Stream<Path> s = Files.list(pkg.isEmpty() ? root : root.resolve(pkg))) {
        for (Path p : s.filter(f -> f.toString().endsWith(".class")).collect(Collectors.toList())) {
          String name = (pkg.isEmpty() ? "" : pkg + ".") + p.getFileName().toString().replace(".class", "");
          Class<?> c = Class.forName("dev.sandboxkit." + name, false, PublicApiTest.class.getClassLoader());
          if (isPublic(c)) {
            names.add(name);
          }
        }
      }
    }
    return new ArrayList<>(names);
  }

  private static boolean isPublic(Class<?> c) {
    for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
      if (!Modifier.isPublic(k.getModifiers()) || k.isAnonymousClass() || k.isSynthetic()) {
        return false;
      }
    }
    return true;
  }
}
