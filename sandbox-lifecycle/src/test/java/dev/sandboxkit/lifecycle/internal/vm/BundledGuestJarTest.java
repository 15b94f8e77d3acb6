package dev.sandboxkit.lifecycle.internal.vm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.lifecycle.FailurePhase;
import dev.sandboxkit.lifecycle.SandboxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.jar.JarInputStream;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Issue 13.11: the guest agent from the guest-agent-bundle dependency, copied into the cache. */
@EnabledOnOs(OS.LINUX)
class BundledGuestJarTest {
  @TempDir Path tmp;
  private byte[] agent;
  private URL bundle;
  private Map<String, String> env;

  @BeforeEach
  void setUp() throws Exception {
    agent = new byte[300_000];
    new Random(13).nextBytes(agent);
    Path jar = tmp.resolve("guest-agent-bundle.jar");
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(jar))) {
      z.putNextEntry(new ZipEntry(BundledGuestJar.RESOURCE));
      z.write(agent);
      z.closeEntry();
    }
    bundle = new URL("jar:" + jar.toUri() + "!/" + BundledGuestJar.RESOURCE);
    env = Map.of("XDG_CACHE_HOME", tmp.resolve("cache").toString(), "HOME", "/nonexistent");
    BundledGuestJar.forget();
  }

  @AfterEach
  void tearDown() {
    BundledGuestJar.forget();
  }

  private Path locate() throws SandboxException {
    return GuestJar.locate(null, env, Optional.empty(), bundle);
  }

  private Path guestDir() {
    return tmp.resolve("cache/sandboxkit/guest");
  }

  @Test
  void theBundledAgentIsCopiedReadOnlyIntoAnOwnerOnlyCacheFolder() throws Exception {
    Path p = locate();
    assertEquals(guestDir(), p.getParent());
    assertTrue(p.getFileName().toString().matches("sandboxkit-guest-[0-9a-f]{8}-300000\\.jar"), p.toString());
    assertArrayEquals(agent, Files.readAllBytes(p));
    assertEquals("r--r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(guestDir())));
    try (Stream<Path> s = Files.list(guestDir())) {
      assertEquals(List.of(p), s.toList(), "no temporary file left");
    }
  }

  @Test
  void aGoodCopyIsReusedNotRewritten() throws Exception {
    Path p = locate();
    Object inode = Files.getAttribute(p, "unix:ino");
    BundledGuestJar.forget(); // as a new JVM
    assertEquals(p, locate());
    assertEquals(inode, Files.getAttribute(p, "unix:ino"));
  }

  @Test
  void aTruncatedOrChangedCopyIsReplaced() throws Exception {
    Path p = locate();
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
    Files.write(p, new byte[] {1, 2, 3});
    BundledGuestJar.forget();
    assertArrayEquals(agent, Files.readAllBytes(locate()));
    byte[] same = agent.clone();
    same[1000] ^= 1; // same size, other bytes: the CRC tells
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
    Files.write(p, same);
    BundledGuestJar.forget();
    assertArrayEquals(agent, Files.readAllBytes(locate()));
  }

  @Test
  void aCopyOthersMayWriteIsReplacedAndAnOpenFolderClosed() throws Exception {
    Path p = locate();
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-rw-rw-"));
    Files.setPosixFilePermissions(guestDir(), PosixFilePermissions.fromString("rwxrwxrwx"));
    BundledGuestJar.forget();
    assertEquals(p, locate());
    assertEquals("r--r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(guestDir())));
  }

  @Test
  void olderVersionsBeyondTwoArePruned() throws Exception {
    Files.createDirectories(guestDir());
    for (int i = 0; i < 4; i++) {
      Path old = guestDir().resolve("sandboxkit-guest-0000000" + i + "-10.jar");
      Files.write(old, new byte[10]);
      Files.setLastModifiedTime(old, FileTime.fromMillis(1_000_000L * (i + 1)));
    }
    Path p = locate();
    try (Stream<Path> s = Files.list(guestDir())) {
      assertEquals(List.of("sandboxkit-guest-00000002-10.jar", "sandboxkit-guest-00000003-10.jar",
          p.getFileName().toString()), s.map(x -> x.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void anExplodedBundleIsUsedInPlace() throws Exception {
    Path file = tmp.resolve("classes/" + BundledGuestJar.RESOURCE);
    Files.createDirectories(file.getParent());
    Files.write(file, agent);
    assertEquals(file, GuestJar.locate(null, env, Optional.empty(), file.toUri().toURL()));
    assertTrue(Files.notExists(guestDir()), "nothing copied");
  }

  @Test
  void explicitSettingsComeBeforeTheBundle() throws Exception {
    Path mine = Files.write(tmp.resolve("mine.jar"), new byte[] {1});
    assertEquals(mine, GuestJar.locate(mine.toString(), env, Optional.empty(), bundle));
    assertTrue(Files.notExists(guestDir()));
  }

  @Test
  void withoutACacheFolderItSaysWhatToSet() {
    SandboxException e = assertThrows(SandboxException.class,
        () -> GuestJar.locate(null, Map.of(), Optional.empty(), bundle));
    assertEquals(FailurePhase.REJECTED, e.phase());
    assertTrue(e.getMessage().contains("no cache folder"), e.getMessage());
    assertTrue(e.detail().contains("XDG_CACHE_HOME"), e.detail());
  }

  @Test
  void anUnusableCacheFolderIsRejectedWithTheReason() throws Exception {
    Files.createDirectories(guestDir().getParent());
    Files.write(guestDir(), new byte[0]); // a file where the folder belongs
    SandboxException e = assertThrows(SandboxException.class, this::locate);
    assertEquals(FailurePhase.REJECTED, e.phase());
    assertTrue(e.getMessage().contains("could not be copied into " + guestDir()), e.getMessage());
    assertTrue(e.detail().contains("not a directory"), e.detail());
  }

  @Test
  void withoutTheBundleTheMessageNamesTheDependency() {
    SandboxException e = assertThrows(SandboxException.class,
        () -> GuestJar.locate(null, env, Optional.empty(), (URL) null));
    assertTrue(e.detail().contains("guest-agent-bundle"), e.detail());
  }

  @Test
  void theLibrarysClassPathCarriesTheRealAgent() throws Exception {
    URL real = BundledGuestJar.resource();
    assertNotNull(real, "guest-agent-bundle is a runtime dependency of sandbox-lifecycle");
    try (JarInputStream in = new JarInputStream(real.openStream())) {
      assertEquals("dev.sandboxkit.guest.Main", in.getManifest().getMainAttributes().getValue("Main-Class"));
    }
  }

}
