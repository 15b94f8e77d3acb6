package dev.sandboxkit.cli.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon runs from a private copy of the CLI jar, so rebuilding the jar cannot break it. */
class DaemonLauncherTest {
  @TempDir
  Path tmp;

  @Test
  void theDaemonRunsFromAnOwnerOnlyCopyMadeOncePerBuild() throws Exception {
    SessionStore store = new SessionStore(tmp.resolve("sessions"));
    store.secureRoot();
    Path jar = Files.write(tmp.resolve("sandboxkit.jar"), new byte[] {1, 2, 3});
    Files.setLastModifiedTime(jar, FileTime.fromMillis(1_000_000));
    Path copy = Path.of(DaemonLauncher.privateClassPath(store, jar.toString()));
    assertNotEquals(jar, copy);
    assertEquals(store.root().resolve("jars").resolve("cli-3-1000000.jar"), copy);
    assertArrayEquals(Files.readAllBytes(jar), Files.readAllBytes(copy));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(copy.getParent())));
    Files.setLastModifiedTime(copy, FileTime.fromMillis(5));
    assertEquals(copy.toString(), DaemonLauncher.privateClassPath(store, jar.toString()));
    assertEquals(5, Files.getLastModifiedTime(copy).toMillis(), "the same build is copied once");

    // a rebuild in place: what a running daemon reads must not change
    Files.write(jar, new byte[] {9, 9, 9, 9});
    Files.setLastModifiedTime(jar, FileTime.fromMillis(2_000_000));
    assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(copy), "the copy is not the jar");
    Path second = Path.of(DaemonLauncher.privateClassPath(store, jar.toString()));
    assertEquals("cli-4-2000000.jar", second.getFileName().toString());
    try (Stream<Path> s = Files.list(second.getParent())) {
      assertEquals(List.of(second), s.toList(), "the older build's copy is removed (open files stay readable)");
    }
    assertTrue(DaemonLauncher.command(store, "0a0b0c0d").contains(
        DaemonLauncher.privateClassPath(store, System.getProperty("java.class.path"))));
  }

  @Test
  void aClassPathThatIsNotOneJarIsUsedAsItIs() throws Exception {
    SessionStore store = new SessionStore(tmp.resolve("sessions"));
    store.secureRoot();
    for (String cp : List.of(tmp + "/classes", tmp + "/a.jar" + java.io.File.pathSeparator + tmp + "/b.jar",
        tmp + "/missing.jar")) {
      assertEquals(cp, DaemonLauncher.privateClassPath(store, cp));
    }
    assertFalse(Files.exists(store.root().resolve("jars")));
  }
}
