package dev.sandboxkit.lifecycle.internal.controlplane;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.AclEntryFlag;
import java.nio.file.attribute.AclEntryPermission;
import java.nio.file.attribute.AclEntryType;
import java.nio.file.attribute.AclFileAttributeView;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Owner-only directories and files, secured at creation time.
 *
 * <p>POSIX: directories {@code 0700}, files {@code 0600}, passed as creation attributes so there is
 * no window with wider permissions. Windows: an {@link AclFileAttributeView} ACL with one full-control
 * allow entry for the current user (inheritable for directories). Before state in a directory is
 * trusted, {@link #verifyOwner(Path)} checks that the current user owns it: a directory owned by
 * someone else could hold forged markers.
 *
 * <p>The Windows code path is written but exercised only on Windows (no protected-DACL bit: NIO cannot
 * set {@code SE_DACL_PROTECTED}; the Windows driver may harden further through JNA).
 */
public final class OwnerOnly {

  private static final Set<PosixFilePermission> DIR_PERMS = PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FILE_PERMS = PosixFilePermissions.fromString("rw-------");

  private OwnerOnly() {
  }

  /**
   * Creates {@code dir} owner-only, or secures an existing one we own. Missing parents are created
   * with default permissions (a shared parent such as {@code <tmp>/sandboxkit} is never secured, so
   * other users can create their own roots beside ours).
   *
   * @throws OwnershipException if {@code dir} exists and is owned by another user (remove it and retry)
   * @throws IOException if it cannot be created, is not a directory, or cannot be secured
   */
  public static Path ensureDirectory(Path dir) throws IOException {
    Path abs = dir.toAbsolutePath();
    Path parent = abs.getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      Files.createDirectories(parent);
    }
    try {
      Files.createDirectory(abs, dirAttribute(abs));
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(abs, LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException("cannot use " + abs + " as a private directory: it exists and is not a directory"
            + " (a file or a symbolic link); remove it and retry", e);
      }
      verifyOwner(abs);
      restrict(abs, true);
    }
    return abs;
  }

  /**
   * Creates a new owner-only empty file; fails if it exists.
   *
   * @throws FileAlreadyExistsException if {@code file} exists
   */
  public static Path createFile(Path file) throws IOException {
    return Files.createFile(file, fileAttribute(file));
  }

  /** The creation attribute for an owner-only directory on {@code dir}'s file system. */
  public static FileAttribute<?>[] dirAttribute(Path dir) throws IOException {
    return attribute(dir, true);
  }

  /** The creation attribute for an owner-only file on {@code file}'s file system. */
  public static FileAttribute<?>[] fileAttribute(Path file) throws IOException {
    return attribute(file, false);
  }

  /**
   * Checks that the current user owns {@code path} (not following a final symbolic link).
   *
   * @throws OwnershipException naming the path, its owner and the current user
   */
  public static void verifyOwner(Path path) throws IOException {
    if (windowsAcl(path)) {
      verifyOwner(path, TokenSids.ownerOf(path), Token.sids());
      return;
    }
    UserPrincipal owner = Files.getOwner(path, LinkOption.NOFOLLOW_LINKS);
    UserPrincipal me = currentUser(path);
    if (!owner.equals(me)) {
      throw new OwnershipException(path, owner.getName(), me.getName());
    }
  }

  /**
   * Windows: the decision of {@link TokenSids#owns} for {@code path} owned by {@code ownerSid}.
   *
   * @throws OwnershipException naming the path, the owner SID and the token user SID
   */
  static void verifyOwner(Path path, String ownerSid, TokenSids me) throws OwnershipException {
    if (!me.owns(ownerSid)) {
      throw new OwnershipException(path, ownerSid, me.user());
    }
  }

  /**
   * The current user as a principal of {@code path}'s file system. Windows: the token user's SID,
   * looked up by its fully qualified {@code DOMAIN\name} (never the bare {@code user.name}).
   */
  public static UserPrincipal currentUser(Path path) throws IOException {
    String name = windowsAcl(path) ? Token.sids().userAccountName() : System.getProperty("user.name");
    return path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(name);
  }

  /** A Windows (ACL, not POSIX) file system: identities come from the process token. */
  private static boolean windowsAcl(Path path) {
    return !supports(path, PosixFileAttributeView.class) && supports(path, AclFileAttributeView.class);
  }

  /** The process token's SIDs, read once (they do not change for a process). */
  private static final class Token {
    private static volatile TokenSids sids;

    static TokenSids sids() throws IOException {
      TokenSids s = sids;
      if (s == null) {
        try {
          s = TokenSids.ofCurrentProcess();
        } catch (LinkageError e) {
          throw new IOException("cannot read this process's token through JNA: " + e, e);
        }
        sids = s;
      }
      return s;
    }
  }

  private static FileAttribute<?>[] attribute(Path path, boolean dir) throws IOException {
    if (supports(path, PosixFileAttributeView.class)) {
      return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(dir ? DIR_PERMS : FILE_PERMS)};
    }
    if (supports(path, AclFileAttributeView.class)) {
      List<AclEntry> acl = ownerOnlyAcl(currentUser(path), dir);
      return new FileAttribute<?>[] {new AclAttribute(acl)};
    }
    return new FileAttribute<?>[0];
  }

  /** One full-control allow entry for {@code owner}; inheritable by children for directories. */
  public static List<AclEntry> ownerOnlyAcl(UserPrincipal owner, boolean dir) {
    AclEntry.Builder entry = AclEntry.newBuilder()
        .setType(AclEntryType.ALLOW)
        .setPrincipal(owner)
        .setPermissions(EnumSet.allOf(AclEntryPermission.class));
    if (dir) {
      entry.setFlags(AclEntryFlag.FILE_INHERIT, AclEntryFlag.DIRECTORY_INHERIT);
    }
    return List.of(entry.build());
  }

  private static void restrict(Path path, boolean dir) throws IOException {
    if (supports(path, PosixFileAttributeView.class)) {
      Files.setPosixFilePermissions(path, dir ? DIR_PERMS : FILE_PERMS);
    } else if (supports(path, AclFileAttributeView.class)) {
      AclFileAttributeView view = Files.getFileAttributeView(path, AclFileAttributeView.class);
      view.setAcl(ownerOnlyAcl(currentUser(path), dir));
    }
  }

  private static boolean supports(Path path, Class<? extends java.nio.file.attribute.FileAttributeView> view) {
    return path.getFileSystem().supportedFileAttributeViews()
        .contains(view == PosixFileAttributeView.class ? "posix" : "acl");
  }

  private record AclAttribute(List<AclEntry> value) implements FileAttribute<List<AclEntry>> {
    @Override
    public String name() {
      return "acl:acl";
    }
  }
}
