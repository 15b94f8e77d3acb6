package dev.sandboxkit.lifecycle.internal.teardown;

import dev.sandboxkit.lifecycle.internal.controlplane.HostSnapshot;
import dev.sandboxkit.lifecycle.internal.controlplane.ProcessProbe;
import dev.sandboxkit.lifecycle.internal.controlplane.VmProcId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a driver supplies so the generic teardown can find, kill and confirm its sandbox processes.
 *
 * <p>Bubblewrap: the proof is the {@code bwrap} process (pid + FILETIME start); there is no singleton,
 * so {@link #identityOnly(ProcessProbe)} (empty snapshot: the plan is exactly the proof) fits.
 * Windows Sandbox: the snapshot enumerates {@code WindowsSandbox*} processes, and termination uses a
 * JNA probe with exact FILETIMEs; build it with {@link #of(ProcessProbe, Supplier)} or implement it.
 */
public interface SandboxKiller {

  /** One probe of the host processes that may belong to the sandbox; empty when the probe failed. */
  Optional<HostSnapshot> snapshot();

  /** Identity-checked termination (creation time re-checked before each kill); no waiting. */
  int terminate(List<VmProcId> targets);

  /**
   * Which of {@code killSet} are still running (judged by identity, not by name; fixes W6).
   *
   * @return empty when liveness could not be determined
   */
  Optional<List<VmProcId>> stillRunning(List<VmProcId> killSet);

  /** A killer over {@code probe} whose snapshot comes from {@code snapshot}. */
  static SandboxKiller of(ProcessProbe probe, Supplier<Optional<HostSnapshot>> snapshot) {
    return new SandboxKiller() {
      @Override
      public Optional<HostSnapshot> snapshot() {
        return snapshot.get();
      }

      @Override
      public int terminate(List<VmProcId> targets) {
        return probe.terminate(targets);
      }

      @Override
      public Optional<List<VmProcId>> stillRunning(List<VmProcId> killSet) {
        List<VmProcId> alive = new ArrayList<>();
        for (VmProcId id : killSet) {
          if (probe.isAlive(id)) {
            alive.add(id);
          }
        }
        return Optional.of(alive);
      }
    };
  }

  /** A killer that never widens the proof (empty snapshot): for drivers without a singleton. */
  static SandboxKiller identityOnly(ProcessProbe probe) {
    return of(probe, () -> Optional.of(HostSnapshot.EMPTY));
  }
}
