package dev.sandboxkit.lifecycle.internal.policy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.function.LongPredicate;

/**
 * Whether a sandbox could have planted, or could replace, a directory entry on the host: the
 * planted-link rule (a symlink left in a read-write folder by one run must not redirect a later
 * run's mapping) asks this of every entry a mapped path goes through.
 */
@FunctionalInterface
public interface SandboxWriters {

  /**
   * True when {@code entry} (not followed) is owned by a sandbox uid, or lies in a folder a sandbox
   * uid can write, unless that folder is sticky and neither it nor the entry belongs to a sandbox uid
   * (then only the entry's owner could rename or remove it).
   */
  boolean canReplace(Path entry);

  /** Nothing is writable by a sandbox (tests of the pure rules). */
  SandboxWriters NONE = entry -> false;

  /**
   * A root host: the workload runs as uids and gids that {@code sandboxUid}/{@code sandboxGid}
   * accept; the folder's POSIX mode bits, owner and group decide (ACLs are not read: a folder shared
   * through an ACL only is not seen as writable).
   */
  static SandboxWriters byIds(LongPredicate sandboxUid, LongPredicate sandboxGid) {
    return entry -> {
      Path parent = entry.getParent();
      try {
        long entryOwner = uid(entry);
        if (sandboxUid.test(entryOwner)) {
          return true;
        }
        if (parent == null) {
          return false;
        }
        int mode = (Integer) Files.getAttribute(parent, "unix:mode");
        long owner = uid(parent);
        long group = ((Number) Files.getAttribute(parent, "unix:gid")).longValue();
        // several sandbox uids may exist: any class that one of them falls into counts
        boolean writable = (sandboxUid.test(owner) && ((mode >> 6) & 3) == 3)
            || (sandboxGid.test(group) && ((mode >> 3) & 3) == 3)
            || (mode & 3) == 3;
        boolean sticky = (mode & 01000) != 0;
        return writable && !(sticky && !sandboxUid.test(owner));
      } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
        return true; // cannot tell: assume the worst
      }
    };
  }

  /**
   * A host without root: the workload runs as the calling user (inside a user namespace), so an
   * entry is replaceable when this process may write its folder ({@code access(2)}, groups and ACLs
   * included) or owns the entry itself.
   */
  static SandboxWriters currentUser(long myUid) {
    return entry -> {
      Path parent = entry.getParent();
      try {
        if (uid(entry) == myUid) {
          return true;
        }
        if (parent == null || !Files.isWritable(parent)) {
          return false;
        }
        int mode = (Integer) Files.getAttribute(parent, "unix:mode");
        boolean sticky = (mode & 01000) != 0;
        return !(sticky && uid(parent) != myUid);
      } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
        return true;
      }
    };
  }

  private static long uid(Path p) throws IOException {
    return ((Number) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
  }
}
