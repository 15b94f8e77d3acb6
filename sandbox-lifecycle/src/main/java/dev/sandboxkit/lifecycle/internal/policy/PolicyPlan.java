package dev.sandboxkit.lifecycle.internal.policy;

import dev.sandboxkit.lifecycle.NetworkAccess;
import dev.sandboxkit.lifecycle.ResourceLimits;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A policy the driver can enforce, in canonical form: the mounts to perform, shallowest first.
 *
 * @param mounts the mount operations in the order they must be performed (shallowest path first)
 * @param network the network mode
 * @param notes what the planner resolved that the user may want to know (a mapping reached through
 *     a symlink and its target, a denied path that does not exist); never secret
 * @param limits the policy's resource limits (the driver checks it can enforce them)
 */
public record PolicyPlan(List<MountOp> mounts, NetworkAccess network, List<String> notes, ResourceLimits limits,
    boolean writeAsOwner) {
  public PolicyPlan {
    mounts = List.copyOf(mounts);
    Objects.requireNonNull(network, "network");
    notes = List.copyOf(notes);
    Objects.requireNonNull(limits, "limits");
  }

  /** Without the write-as-owner opt-in ({@code SandboxPolicy.writeAsOwner}). */
  public PolicyPlan(List<MountOp> mounts, NetworkAccess network, List<String> notes, ResourceLimits limits) {
    this(mounts, network, notes, limits, false);
  }

  /** With the default limits. */
  public PolicyPlan(List<MountOp> mounts, NetworkAccess network, List<String> notes) {
    this(mounts, network, notes, ResourceLimits.DEFAULT);
  }

  /**
   * A plan of directory binds (in order) and masked paths (directories: an empty tmpfs), for
   * callers that build a plan by hand.
   */
  public PolicyPlan(List<MappedFolder> mappedFolders, List<Path> denied, NetworkAccess network) {
    this(ops(mappedFolders, denied), network, List.of());
  }

  private static List<MountOp> ops(List<MappedFolder> mapped, List<Path> denied) {
    List<MountOp> out = new ArrayList<>();
    mapped.forEach(m -> out.add(new MountOp.Bind(m.hostPath(), m.readOnly(), true)));
    denied.forEach(d -> out.add(new MountOp.MaskDir(d)));
    return out;
  }

  /** The binds, as mapped folders (files included), in mount order. */
  public List<MappedFolder> mappedFolders() {
    return mounts.stream().filter(m -> m instanceof MountOp.Bind).map(m -> (MountOp.Bind) m)
        .map(b -> new MappedFolder(b.path(), b.readOnly())).toList();
  }

  /** The read-write binds. */
  public List<MappedFolder> readWrite() {
    return mappedFolders().stream().filter(m -> !m.readOnly()).toList();
  }

  /** The masked paths (denied directories and files), in mount order. */
  public List<Path> denied() {
    return mounts.stream().filter(m -> !(m instanceof MountOp.Bind)).map(MountOp::path).toList();
  }
}
