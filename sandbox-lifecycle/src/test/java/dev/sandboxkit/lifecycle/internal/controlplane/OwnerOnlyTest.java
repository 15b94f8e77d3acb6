package dev.sandboxkit.lifecycle.internal.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.AclEntryFlag;
import java.nio.file.attribute.AclEntryType;
import java.nio.file.attribute.AclFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class OwnerOnlyTest {

  @TempDir Path tmp;

  @Test
  @DisabledOnOs(OS.WINDOWS)
  void newDirectoryIs0700() throws IOException {
    Path dir = OwnerOnly.ensureDirectory(tmp.resolve("a").resolve("b"));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    OwnerOnly.verifyOwner(dir);
  }

  @Test
  @DisabledOnOs(OS.WINDOWS)
  void existingOwnDirectoryIsRestricted() throws IOException {
    Path dir = Files.createDirectory(tmp.resolve("open"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    OwnerOnly.ensureDirectory(dir);
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
  }

  @Test
  void existingFileIsNotADirectory() throws IOException {
    Path file = Files.createFile(tmp.resolve("f"));
    IOException e = assertThrows(IOException.class, () -> OwnerOnly.ensureDirectory(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }

  @Test
  @DisabledOnOs(OS.WINDOWS)
  void symlinkIsNotAcceptedAsDirectory() throws IOException {
    Path target = Files.createDirectory(tmp.resolve("target"));
    Path link = Files.createSymbolicLink(tmp.resolve("link"), target);
    IOException e = assertThrows(IOException.class, () -> OwnerOnly.ensureDirectory(link));
    assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
  }

  @Test
  @DisabledOnOs(OS.WINDOWS)
  void newFileIs0600AndNeverOverwrites() throws IOException {
    Path f = OwnerOnly.createFile(tmp.resolve("x"));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    assertThrows(FileAlreadyExistsException.class, () -> OwnerOnly.createFile(f));
  }

  @Test
  @DisabledOnOs(OS.WINDOWS)
  void foreignOwnedDirectoryIsRefused() throws IOException {
    assumeTrue("root".equals(System.getProperty("user.name")), "needs root to chown");
    Path dir = Files.createDirectory(tmp.resolve("foreign"));
    Files.setAttribute(dir, "unix:uid", 65534);
    OwnershipException e = assertThrows(OwnershipException.class, () -> OwnerOnly.ensureDirectory(dir));
    assertEquals(dir, e.path());
    assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("Remove it"), e.getMessage());
    assertThrows(OwnershipException.class, () -> OwnerOnly.verifyOwner(dir));
  }

  @Test
  void ownerOnlyAclIsOneFullControlEntry() throws IOException {
    var me = OwnerOnly.currentUser(tmp);
    List<AclEntry> dirAcl = OwnerOnly.ownerOnlyAcl(me, true);
    assertEquals(1, dirAcl.size());
    assertEquals(AclEntryType.ALLOW, dirAcl.get(0).type());
    assertEquals(me, dirAcl.get(0).principal());
    assertTrue(dirAcl.get(0).flags().contains(AclEntryFlag.DIRECTORY_INHERIT));
    assertTrue(OwnerOnly.ownerOnlyAcl(me, false).get(0).flags().isEmpty());
  }

  @Test
  @EnabledOnOs(OS.WINDOWS)
  @EnabledIfSystemProperty(named = "sandboxkit.windows.tests", matches = "true")
  void windowsDirectoryGetsOwnerOnlyAcl() throws IOException {
    Path dir = OwnerOnly.ensureDirectory(tmp.resolve("w"));
    List<AclEntry> acl = Files.getFileAttributeView(dir, AclFileAttributeView.class).getAcl();
    var me = OwnerOnly.currentUser(dir);
    assertTrue(acl.stream().allMatch(e -> e.principal().equals(me)), acl.toString());
    OwnerOnly.verifyOwner(dir);
  }
}
