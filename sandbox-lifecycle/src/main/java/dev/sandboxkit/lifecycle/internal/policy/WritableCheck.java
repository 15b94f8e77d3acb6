package dev.sandboxkit.lifecycle.internal.policy;

import dev.sandboxkit.lifecycle.FailurePhase;
import dev.sandboxkit.lifecycle.SandboxException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Checks that every read-write mapped folder is writable by the unprivileged uid/gid the sandbox
 * runs as (when the host runs as root, bubblewrap drops the workload to uid 65534). Without this a
 * run would start and then fail to write with a confusing "permission denied" inside.
 *
 * <p>First the POSIX mode bits and owner ({@code unix:mode}, {@code unix:uid}, {@code unix:gid});
 * when they deny, POSIX ACLs (invisible to Java) may still grant access, so an {@link AccessProbe}
 * asks the kernel as that uid ({@link #SETPRIV_PROBE}: {@code setpriv ... test -w -a -x}).
 */
public final class WritableCheck {

  /** Asks whether {@code uid}/{@code gid} can create files in {@code dir}. */
  @FunctionalInterface
  public interface AccessProbe {
    boolean canWrite(Path dir, long uid, long gid);
  }

  /** An access probe that never grants (mode bits only). */
  public static final AccessProbe MODE_BITS_ONLY = (dir, uid, gid) -> false;

  /**
   * Runs {@code /usr/bin/setpriv --reuid U --regid G --clear-groups /usr/bin/test -w DIR -a -x DIR}
   * (needs root; false when setpriv is missing, fails or takes more than 5 s). Honours ACLs.
   */
  public static final AccessProbe SETPRIV_PROBE = WritableCheck::setprivProbe;

  private WritableCheck() {
  }

  /**
   * Rejects the plan unless every read-write folder is writable by {@code uid}/{@code gid}.
   *
   * @throws SandboxException REJECTED, naming the path, its owner and mode, the uid and the fix
   */
  public static void requireWritable(PolicyPlan plan, long uid, long gid, String driverName, AccessProbe probe)
      throws SandboxException {
    require(plan, uid, gid, driverName, probe, (dir, owner) -> "is not writable by the sandbox user uid " + uid
        + " (gid " + gid + "); grant it with `chown " + uid + " " + dir + "` or `setfacl -m u:" + uid
        + ":rwx " + dir + "`, or map it read-only");
  }

  /**
   * As {@link #requireWritable}, for a workload whose uid differs per sandbox ({@code uid}: one that
   * owns nothing) and whose group {@code gid} is shared: the folder must be writable by that group
   * or by everyone, and the fix says so. A root-owned folder also names the opt-in that writes as its
   * owner ({@link #OWNER_OPT_IN}).
   */
  public static void requireGroupWritable(PolicyPlan plan, long uid, long gid, String driverName, AccessProbe probe)
      throws SandboxException {
    require(plan, uid, gid, driverName, probe, (dir, owner) -> "is not writable by the sandbox's workload (a uid"
        + " of its own per sandbox, group " + gid + "); grant it to the group with `chgrp " + gid + " " + dir
        + " && chmod g+rwx " + dir + "` or `setfacl -m g:" + gid + ":rwx " + dir + "`"
        + (owner == 0 ? ", or let the workload write as the folder's owner (" + OWNER_OPT_IN + ")" : "")
        + ", or map it read-only");
  }

  /** How a caller lets the workload write as a read-write folder's owner (issue 15.5). */
  public static final String OWNER_OPT_IN = "--rw-as-owner, SandboxPolicy.Builder.writeAsOwner(true)";

  private interface Fix {
    String text(Path dir, long owner);
  }

  private static void require(PolicyPlan plan, long uid, long gid, String driverName, AccessProbe probe, Fix fix)
      throws SandboxException {
    List<String> problems = new ArrayList<>();
    for (MappedFolder m : plan.readWrite()) {
      Path dir = m.hostPath();
      int mode;
      long owner;
      long group;
      try {
        mode = (Integer) Files.getAttribute(dir, "unix:mode");
        owner = ((Number) Files.getAttribute(dir, "unix:uid")).longValue();
        group = ((Number) Files.getAttribute(dir, "unix:gid")).longValue();
      } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
        throw new SandboxException(FailurePhase.REJECTED,
            "The request's policy cannot be enforced by the " + driverName + " driver.",
            "cannot read the owner and permissions of read-write folder \"" + dir + "\": " + e);
      }
      boolean isDir = Files.isDirectory(dir);
      boolean ok = isDir ? writable(mode, owner, group, uid, gid) : writableFile(mode, owner, group, uid, gid);
      if (!ok && !probe.canWrite(dir, uid, gid)) {
        problems.add("read-write " + (isDir ? "folder" : "file") + " \"" + dir + "\" (owner uid " + owner + ", gid " + group + ", mode "
            + String.format("%04o", mode & 07777) + ") " + fix.text(dir, owner));
      }
    }
    if (!problems.isEmpty()) {
      throw new SandboxException(FailurePhase.REJECTED,
          "The request's policy cannot be enforced by the " + driverName + " driver.", String.join("; ", problems));
    }
  }

  /**
   * POSIX permission check of a directory for creating entries (write + search), with the owner class
   * taking precedence over the group class over others, as the kernel does (uid 0 is not special
   * here: the sandbox user holds no capabilities).
   */
  public static boolean writable(int mode, long ownerUid, long ownerGid, long uid, long gid) {
    int bits;
    if (uid == ownerUid) {
      bits = (mode >> 6) & 7;
    } else if (gid == ownerGid) {
      bits = (mode >> 3) & 7;
    } else {
      bits = mode & 7;
    }
    return (bits & 3) == 3;
  }

  /** POSIX permission check of a file for writing (owner class, then group, then others). */
  public static boolean writableFile(int mode, long ownerUid, long ownerGid, long uid, long gid) {
    int bits = uid == ownerUid ? (mode >> 6) & 7 : gid == ownerGid ? (mode >> 3) & 7 : mode & 7;
    return (bits & 2) == 2;
  }

  private static boolean setprivProbe(Path dir, long uid, long gid) {
    Path setpriv = Path.of("/usr/bin/setpriv");
    if (!Files.isExecutable(setpriv)) {
      return false;
    }
    ProcessBuilder pb = new ProcessBuilder(setpriv.toString(), "--reuid=" + uid, "--regid=" + gid, "--clear-groups",
        "/usr/bin/test", "-w", dir.toString(), "-a", "(", "-x", dir.toString(), "-o", "!", "-d", dir.toString(), ")")
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    try {
      Process p = pb.start();
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
