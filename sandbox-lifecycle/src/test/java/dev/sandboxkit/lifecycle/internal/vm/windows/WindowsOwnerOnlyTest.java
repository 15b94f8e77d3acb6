package dev.sandboxkit.lifecycle.internal.vm.windows;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sandboxkit.lifecycle.internal.controlplane.OwnershipException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The owner-only flow with a recording DACL protector (POSIX permissions stand in for the ACL here). */
class WindowsOwnerOnlyTest {
  @TempDir Path tmp;
  private final RecordingDacl dacl = new RecordingDacl();
  private final WindowsOwnerOnly owner = new WindowsOwnerOnly(dacl);

  @Test
  void secureDirectoryCreatesItOwnerOnlyThenProtectsItsDacl() throws IOException {
    Path dir = owner.secureDirectory(tmp.resolve("root/oneshot"));
    assertTrue(Files.isDirectory(dir));
    if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    }
    assertEquals(List.of(dir), dacl.protectedPaths);
  }

  @Test
  void anExistingOwnDirectoryIsReSecured() throws IOException {
    Path dir = Files.createDirectory(tmp.resolve("d"));
    owner.secureDirectory(dir);
    assertTrue(dacl.isProtected(dir));
  }

  @Test
  void writeFileIsAtomicOwnerOnlyAndProtected() throws IOException {
    Path dir = owner.secureDirectory(tmp.resolve("run"));
    Path f = owner.writeFile(dir.resolve("sandboxkit.wsb"), new byte[] {1, 2, 3});
    assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(f));
    if (Files.getFileStore(f).supportsFileAttributeView("posix")) {
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    }
    assertTrue(dacl.isProtected(f));
  }

  @Test
  void aRootOwnedByAnotherUserIsRefusedAndNotProtected() throws IOException {
    assumeTrue("root".equals(System.getProperty("user.name")), "only root can give a directory away");
    Path dir = Files.createDirectory(tmp.resolve("foreign"));
    UserPrincipal nobody = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
    Files.setOwner(dir, nobody);
    OwnershipException e = assertThrows(OwnershipException.class, () -> owner.secureDirectory(dir));
    assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
    assertEquals(List.of(), dacl.protectedPaths);
  }

  @Test
  void aProtectFailureFailsTheCall() {
    dacl.failure = new Win32Exception("SetNamedSecurityInfoW", 5, "could not protect the ACL of x");
    IOException e = assertThrows(IOException.class, () -> owner.secureDirectory(tmp.resolve("x")));
    assertTrue(e.getMessage().contains("SetNamedSecurityInfoW failed with Win32 error 5"), e.getMessage());
  }
}
