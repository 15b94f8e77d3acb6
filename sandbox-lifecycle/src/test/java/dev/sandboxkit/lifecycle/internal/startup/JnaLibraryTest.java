package dev.sandboxkit.lifecycle.internal.startup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** JNA's native library extracted once on the host: naming, trust, extraction and every fallback. */
@Timeout(30)
class JnaLibraryTest {
  static final byte[] LIB = "\u007fELF not really a library, but bytes to copy".getBytes();
  @TempDir Path temp;
  Path dir;
  Path jar;
  String resource;

  @BeforeEach
  void setUp() throws IOException {
    dir = temp.resolve("cache/sandboxkit/cds");
    resource = JnaLibrary.resource(System.getProperty("os.arch")).orElse("com/sun/jna/linux-x86-64/libjnidispatch.so");
    jar = jar(temp.resolve("sandboxkit-guest.jar"), resource, LIB);
  }

  static Path jar(Path file, String entry, byte[] content) throws IOException {
    try (OutputStream o = Files.newOutputStream(file); ZipOutputStream z = new ZipOutputStream(o)) {
      z.putNextEntry(new ZipEntry("META-INF/MANIFEST.MF"));
      z.write("Manifest-Version: 1.0\n".getBytes());
      z.closeEntry();
      if (entry != null) {
        z.putNextEntry(new ZipEntry(entry));
        z.write(content);
        z.closeEntry();
      }
    }
    return file;
  }

  JnaLibrary library() {
    Assumptions.assumeTrue(JnaLibrary.resource(System.getProperty("os.arch")).isPresent(),
        "the guest jar carries no JNA library for this architecture");
    return new JnaLibrary(CdsConfig.at(dir));
  }

  @Test
  void resourcesForTheArchitecturesTheGuestJarCarries() {
    assertEquals(Optional.of("com/sun/jna/linux-x86-64/libjnidispatch.so"), JnaLibrary.resource("amd64"));
    assertEquals(Optional.of("com/sun/jna/linux-x86-64/libjnidispatch.so"), JnaLibrary.resource("x86_64"));
    assertEquals(Optional.of("com/sun/jna/linux-aarch64/libjnidispatch.so"), JnaLibrary.resource("aarch64"));
    assertEquals(Optional.empty(), JnaLibrary.resource("riscv64"));
  }

  @Test
  void theNameIsAStableFunctionOfTheJarsPathSizeAndTime() {
    String a = JnaLibrary.fileName("/b/sandboxkit-guest.jar", 100, 1_600_000_000_000L);
    assertTrue(a.matches("guest-jna-[0-9a-f]{16}\\.so"), a);
    assertEquals(a, JnaLibrary.fileName("/b/sandboxkit-guest.jar", 100, 1_600_000_000_000L));
    assertNotEquals(a, JnaLibrary.fileName("/c/sandboxkit-guest.jar", 100, 1_600_000_000_000L));
    assertNotEquals(a, JnaLibrary.fileName("/b/sandboxkit-guest.jar", 101, 1_600_000_000_000L));
    assertNotEquals(a, JnaLibrary.fileName("/b/sandboxkit-guest.jar", 100, 1_600_000_000_001L));
    assertTrue(a.startsWith("guest-"), "pruned with the archives of other keys");
  }

  @Test
  void theFirstRunExtractsReadOnlyIntoAnOwnerOnlyFolderAndLaterRunsReuseIt() throws Exception {
    Path lib = library().forRun(jar).orElseThrow();
    assertEquals(dir, lib.getParent());
    assertArrayEquals(LIB, Files.readAllBytes(lib));
    assertEquals("r--r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(lib)));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    FileTime extracted = FileTime.fromMillis(System.currentTimeMillis() - 60_000);
    Files.setLastModifiedTime(lib, extracted);
    assertEquals(Optional.of(lib), library().forRun(jar));
    assertEquals(extracted, Files.getLastModifiedTime(lib), "found, not extracted again");
    assertEquals(List.of(lib), list(dir), "no temporary file left behind");
  }

  @Test
  void aLibraryInUseIsTouchedSoPruningSparesIt() throws Exception {
    Path lib = library().forRun(jar).orElseThrow();
    Files.setLastModifiedTime(lib, FileTime.fromMillis(System.currentTimeMillis() - 8L * 24 * 3600 * 1000));
    assertEquals(Optional.of(lib), library().forRun(jar));
    assertTrue(System.currentTimeMillis() - Files.getLastModifiedTime(lib).toMillis() < 60_000);
  }

  @Test
  void aRebuiltJarGetsItsOwnLibrary() throws Exception {
    Path first = library().forRun(jar).orElseThrow();
    Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 5_000));
    Path second = library().forRun(jar).orElseThrow();
    assertNotEquals(first, second);
  }

  @Test
  void aFolderOthersMayWriteToIsNotTrusted() throws Exception {
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertEquals(Optional.empty(), library().forRun(jar));
    assertEquals(List.of(), list(dir), "nothing extracted into it");
  }

  @Test
  void aLibraryOthersMayWriteToOrAnEmptyOneIsIgnored() throws Exception {
    Path lib = library().forRun(jar).orElseThrow();
    Files.setPosixFilePermissions(lib, PosixFilePermissions.fromString("rw-rw-rw-"));
    assertEquals(Optional.empty(), library().forRun(jar));
    Files.delete(lib);
    Files.createFile(lib);
    assertEquals(Optional.empty(), library().forRun(jar));
    Files.delete(lib);
    Files.createDirectory(lib);
    assertEquals(Optional.empty(), library().forRun(jar), "not a regular file");
  }

  @Test
  void rejectTable() {
    long me = 1000;
    assertEquals(Optional.empty(), JnaLibrary.reject(new CdsStore.Facts(true, false, me, 0444, 10, 0), me));
    assertEquals(Optional.of("it is empty"), JnaLibrary.reject(new CdsStore.Facts(true, false, me, 0444, 0, 0), me));
    assertEquals(Optional.of("it is owned by uid 0, not by this user (uid 1000)"),
        JnaLibrary.reject(new CdsStore.Facts(true, false, 0, 0444, 10, 0), me));
    assertEquals(Optional.of("others may write to it (mode 0664)"),
        JnaLibrary.reject(new CdsStore.Facts(true, false, me, 0664, 10, 0), me));
    assertEquals(Optional.of("it is not a regular file"),
        JnaLibrary.reject(new CdsStore.Facts(false, true, me, 0755, 10, 0), me));
  }

  @Test
  void aJarWithoutTheLibraryLeavesNothingBehind() throws Exception {
    Path bare = jar(temp.resolve("bare.jar"), null, null);
    assertEquals(Optional.empty(), library().forRun(bare));
    assertEquals(List.of(), list(dir));
    IOException e = assertThrows(IOException.class,
        () -> JnaLibrary.extract(bare, resource, dir.resolve("guest-jna-x.so")));
    assertTrue(e.getMessage().contains(bare + " has no " + resource), e.getMessage());
  }

  @Test
  void aMissingJarOrNoCacheFolderMeansNone() {
    assertEquals(Optional.empty(), library().forRun(temp.resolve("missing.jar")));
    assertEquals(Optional.empty(), new JnaLibrary(CdsConfig.off("SANDBOXKIT_NO_CDS is set")).forRun(jar));
    assertEquals(Optional.empty(), new JnaLibrary(CdsConfig.at(temp.resolve("file/cds"))).forRun(jarAsParent()));
  }

  @Test
  void thePropertyTurnsItOff() {
    String old = System.getProperty(JnaLibrary.PROPERTY_ENABLED);
    try {
      System.setProperty(JnaLibrary.PROPERTY_ENABLED, "false");
      assertEquals(Optional.empty(), JnaLibrary.fromEnvironment().forRun(jar));
    } finally {
      if (old == null) {
        System.clearProperty(JnaLibrary.PROPERTY_ENABLED);
      } else {
        System.setProperty(JnaLibrary.PROPERTY_ENABLED, old);
      }
    }
  }

  /** A jar while the cache folder's parent is a file: the folder cannot be created. */
  private Path jarAsParent() {
    try {
      Files.writeString(temp.resolve("file"), "x");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return jar;
  }

  static List<Path> list(Path d) throws IOException {
    if (!Files.exists(d)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(d)) {
      return s.sorted().toList();
    }
  }
}
