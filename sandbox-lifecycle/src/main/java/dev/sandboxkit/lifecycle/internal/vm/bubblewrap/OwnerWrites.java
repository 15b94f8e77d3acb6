package dev.sandboxkit.lifecycle.internal.vm.bubblewrap;

import dev.sandboxkit.lifecycle.FailurePhase;
import dev.sandboxkit.lifecycle.SandboxException;
import dev.sandboxkit.lifecycle.internal.policy.MappedFolder;
import dev.sandboxkit.lifecycle.internal.policy.PolicyPlan;
import java.nio.file.Path;
import java.util.List;

/**
 * The write-as-owner opt-in on a root host (issue 15.5, {@code SandboxPolicy.writeAsOwner}, CLI
 * {@code --rw-as-owner}): a root CI container with a root-owned checkout can let the workload write
 * there as root without a {@code chown} of the checkout. The sandbox then gets a user namespace
 * mapping root to uid 0 inside with every capability dropped (bounding set included), no_new_privs,
 * the seccomp filter and bwrap's read-only {@code /proc/sys}: the workload holds no privilege, but
 * its file accesses are checked as root's owner and group bits. So what root owns and can write is
 * writable to it wherever it is mapped read-write, and the opt-in is refused when a read-write folder
 * is, contains or lies inside a place where such a write would act on the host (system folders,
 * root's shell start-up files and ssh keys). It also gives up the workload's own uid: the agent and
 * the workload share root's, as on the non-root path (the agent is non-dumpable there).
 */
final class OwnerWrites {
  /** What a read-write folder may not be, contain or lie in under the opt-in. */
  static final List<Path> SENSITIVE = List.of(Path.of("/etc"), Path.of("/usr"), Path.of("/bin"), Path.of("/sbin"),
      Path.of("/lib"), Path.of("/lib32"), Path.of("/lib64"), Path.of("/libx32"), Path.of("/boot"), Path.of("/var"),
      Path.of("/root/.ssh"), Path.of("/root/.bashrc"), Path.of("/root/.profile"), Path.of("/root/.config"));

  private OwnerWrites() {}

  static void requireSafe(PolicyPlan plan) throws SandboxException {
    for (MappedFolder m : plan.readWrite()) {
      Path p = m.hostPath().toAbsolutePath().normalize();
      for (Path s : SENSITIVE) {
        if (p.startsWith(s) || s.startsWith(p)) {
          throw new SandboxException(FailurePhase.REJECTED,
              "The request's policy cannot be enforced by the " + BubblewrapDriver.NAME + " driver.",
              "read-write folder \"" + p + "\" " + (p.startsWith(s) ? "lies in " : "contains ") + s
                  + ": with --rw-as-owner the workload writes there as root, which would act on the host;"
                  + " map a work folder of its own, or leave out --rw-as-owner");
        }
      }
    }
  }
}
