package dev.sandboxkit.lifecycle.internal.vm.bubblewrap;

import dev.sandboxkit.lifecycle.internal.controlplane.HostSnapshot;
import dev.sandboxkit.lifecycle.internal.controlplane.JdkProcessProbe;
import dev.sandboxkit.lifecycle.internal.controlplane.ProcessProbe;
import dev.sandboxkit.lifecycle.internal.controlplane.VmProcId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Kills a bwrap sandbox by its proof (identity-checked, no snapshot widening: bubblewrap has no
 * singleton). The proof is [bwrap, its child = the pid-namespace init]; the init is killed first so
 * the outer bwrap, still alive, reaps it at once, and a zombie counts as gone: once the namespace
 * init is a zombie the kernel has already killed every process in the namespace.
 */
final class BwrapKiller implements dev.sandboxkit.lifecycle.internal.teardown.SandboxKiller {
  private final ProcessProbe probe;

  BwrapKiller() {
    this(JdkProcessProbe.INSTANCE);
  }

  BwrapKiller(ProcessProbe probe) {
    this.probe = probe;
  }

  @Override
  public Optional<HostSnapshot> snapshot() {
    return Optional.of(HostSnapshot.EMPTY);
  }

  @Override
  public int terminate(List<VmProcId> targets) {
    List<VmProcId> childrenFirst = new ArrayList<>(targets);
    Collections.reverse(childrenFirst);
    return probe.terminate(childrenFirst);
  }

  @Override
  public Optional<List<VmProcId>> stillRunning(List<VmProcId> killSet) {
    List<VmProcId> alive = new ArrayList<>();
    for (VmProcId id : killSet) {
      if (probe.isAlive(id)) { // a zombie is not alive (ProcState)
        alive.add(id);
      }
    }
    return Optional.of(alive);
  }
}
