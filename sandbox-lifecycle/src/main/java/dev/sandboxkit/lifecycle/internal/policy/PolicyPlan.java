package dev.sandboxkit.lifecycle.internal.policy;

import dev.sandboxkit.lifecycle.NetworkAccess;
import dev.sandboxkit.lifecycle.ResourceLimits;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A policy the driver can enforce, in canonical form.
 *
 * @param mappedFolders de-duplicated, non-nested mapped folders in request order (read-write first, then read-only)
 * @param denied canonical denied paths, none equal to, inside or containing a mapped folder
 * @param network the network mode
 * @param limits the policy's resource limits (the driver checks it can enforce them)
 */
public record PolicyPlan(List<MappedFolder> mappedFolders, List<Path> denied, NetworkAccess network,
    ResourceLimits limits) {
  public PolicyPlan {
    mappedFolders = List.copyOf(mappedFolders);
    denied = List.copyOf(denied);
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(limits, "limits");
  }

  /** With the default limits. */
  public PolicyPlan(List<MappedFolder> mappedFolders, List<Path> denied, NetworkAccess network) {
    this(mappedFolders, denied, network, ResourceLimits.DEFAULT);
  }

  /** The read-write folders. */
  public List<MappedFolder> readWrite() {
    return mappedFolders.stream().filter(m -> !m.readOnly()).toList();
  }
}
