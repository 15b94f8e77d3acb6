package dev.sandboxkit.lifecycle.internal.teardown;

import dev.sandboxkit.lifecycle.internal.controlplane.VmProcId;
import java.nio.file.Path;
import java.util.List;

/**
 * One marker dir as reconcile sees it (§4.2).
 *
 * @param dir the run dir
 * @param launcherStronglyAlive the launcher's creation time is recorded and equals the live process's
 * @param proof the recorded {@code vm_processes} ({@code []} when the marker is unparseable)
 */
public record MarkerState(Path dir, boolean launcherStronglyAlive, List<VmProcId> proof) {
  public MarkerState {
    proof = List.copyOf(proof);
  }
}
