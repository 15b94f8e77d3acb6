package dev.sandboxkit.lifecycle.internal.policy;

import dev.sandboxkit.lifecycle.NetworkAccess;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A policy the driver can enforce, in canonical form.
 *
 * @param mappedFolders de-duplicated, non-nested mapped folders in request order (read-write first, then read-only)
 * @param denied canonical denied paths, none equal to, inside or containing a mapped folder
 * @param network the network mode
 */
public record PolicyPlan(List<MappedFolder> mappedFolders, List<Path> denied, NetworkAccess network) {
  public PolicyPlan {
    mappedFolders = List.copyOf(mappedFolders);
    denied = List.copyOf(denied);
    Objects.requireNonNull(network, "network");
  }

  /** The read-write folders. */
  public List<MappedFolder> readWrite() {
    return mappedFolders.stream().filter(m -> !m.readOnly()).toList();
  }
}
