package dev.sandboxkit.lifecycle.internal.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The archive key: stable for the same inputs, different when anything the JVM checks changes. */
class CdsKeyTest {
  @TempDir Path temp;

  static final CdsKey.Inputs BASE = new CdsKey.Inputs("/b/sandboxkit-guest.jar", 1000, 5000,
      "/usr/lib/jvm/java-17", 130_000_000, 7000, List.of("-Xshare:auto"));

  @Test
  void sixteenLowerCaseHexDigitsAndStable() {
    String k = CdsKey.of(BASE);
    assertTrue(k.matches("[0-9a-f]{16}"), k);
    assertEquals(k, CdsKey.of(new CdsKey.Inputs("/b/sandboxkit-guest.jar", 1000, 5000, "/usr/lib/jvm/java-17",
        130_000_000, 7000, List.of("-Xshare:auto"))));
  }

  @Test
  void everyInputChangesTheKey() {
    Set<String> keys = new HashSet<>();
    keys.add(CdsKey.of(BASE));
    keys.add(CdsKey.of(new CdsKey.Inputs("/c/sandboxkit-guest.jar", 1000, 5000, BASE.javaHome(), 130_000_000, 7000,
        BASE.jvmFlags())));
    keys.add(CdsKey.of(new CdsKey.Inputs(BASE.guestJar(), 1001, 5000, BASE.javaHome(), 130_000_000, 7000,
        BASE.jvmFlags())));
    keys.add(CdsKey.of(new CdsKey.Inputs(BASE.guestJar(), 1000, 5001, BASE.javaHome(), 130_000_000, 7000,
        BASE.jvmFlags())));
    keys.add(CdsKey.of(new CdsKey.Inputs(BASE.guestJar(), 1000, 5000, "/usr/lib/jvm/java-21", 130_000_000, 7000,
        BASE.jvmFlags())));
    keys.add(CdsKey.of(new CdsKey.Inputs(BASE.guestJar(), 1000, 5000, BASE.javaHome(), 130_000_001, 7000,
        BASE.jvmFlags())));
    keys.add(CdsKey.of(new CdsKey.Inputs(BASE.guestJar(), 1000, 5000, BASE.javaHome(), 130_000_000, 7001,
        BASE.jvmFlags())));
    keys.add(CdsKey.of(new CdsKey.Inputs(BASE.guestJar(), 1000, 5000, BASE.javaHome(), 130_000_000, 7000,
        List.of("-Xshare:auto", "-Xmx64m"))));
    assertEquals(8, keys.size(), keys.toString());
  }

  @Test
  void probeReadsRealPathsSizesMtimesAndTheGuestFlags() throws IOException {
    Path jar = Files.write(temp.resolve("real.jar"), new byte[123]);
    Files.setLastModifiedTime(jar, FileTime.fromMillis(1_700_000_000_000L));
    Path link = Files.createSymbolicLink(temp.resolve("link.jar"), jar);
    Path home = Files.createDirectories(temp.resolve("jdk"));
    Path modules = Files.write(Files.createDirectories(home.resolve("lib")).resolve("modules"), new byte[77]);
    Files.setLastModifiedTime(modules, FileTime.fromMillis(1_600_000_000_000L));
    CdsKey.Inputs in = CdsKey.probe(link, home, TestGuest.FLAGS);
    assertEquals(new CdsKey.Inputs(jar.toRealPath().toString(), 123, 1_700_000_000_000L,
        home.toRealPath().toString(), 77, 1_600_000_000_000L, TestGuest.FLAGS), in);

    Files.write(jar, new byte[124]);
    Files.setLastModifiedTime(jar, FileTime.fromMillis(1_700_000_000_000L));
    assertNotEquals(CdsKey.of(in), CdsKey.of(CdsKey.probe(link, home, TestGuest.FLAGS)), "a rebuilt jar gets a new key");
  }

  @Test
  void probeFailsWhenTheRuntimeHasNoModulesFile() throws IOException {
    Path jar = Files.write(temp.resolve("g.jar"), new byte[1]);
    assertThrows(NoSuchFileException.class, () -> CdsKey.probe(jar, Files.createDirectories(temp.resolve("nojdk")), TestGuest.FLAGS));
  }
}
