package dev.sandboxkit.lifecycle.internal.teardown;

import dev.sandboxkit.lifecycle.internal.controlplane.HostSnapshot;
import dev.sandboxkit.lifecycle.internal.controlplane.ProcessProbe;
import dev.sandboxkit.lifecycle.internal.controlplane.VmProcId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/** A fake host: a set of live identities, a probe and a killer over them. */
final class FakeKiller implements SandboxKiller, ProcessProbe {
  final Set<VmProcId> live = new LinkedHashSet<>();
  final List<Long> unidentifiable = new ArrayList<>();
  final Set<VmProcId> unkillable = new LinkedHashSet<>();
  final List<List<VmProcId>> terminateCalls = new ArrayList<>();
  final Map<Long, Long> launchers = new HashMap<>();
  boolean snapshotFails;
  boolean livenessFails;
  RuntimeException throwOnSnapshot;

  FakeKiller live(VmProcId... ids) {
    live.addAll(List.of(ids));
    return this;
  }

  @Override
  public Optional<HostSnapshot> snapshot() {
    if (throwOnSnapshot != null) {
      throw throwOnSnapshot;
    }
    return snapshotFails ? Optional.empty() : Optional.of(new HostSnapshot(List.copyOf(live), unidentifiable));
  }

  @Override
  public int terminate(List<VmProcId> targets) {
    terminateCalls.add(List.copyOf(targets));
    int n = 0;
    for (VmProcId t : targets) {
      if (live.contains(t) && !unkillable.contains(t)) {
        live.remove(t);
        n++;
      }
    }
    return n;
  }

  @Override
  public Optional<List<VmProcId>> stillRunning(List<VmProcId> killSet) {
    if (livenessFails) {
      return Optional.empty();
    }
    return Optional.of(killSet.stream().filter(live::contains).toList());
  }

  @Override
  public OptionalLong runningCreationTime(long pid) {
    if (launchers.containsKey(pid)) {
      return OptionalLong.of(launchers.get(pid));
    }
    return live.stream().filter(v -> v.pid() == pid).mapToLong(VmProcId::creationTime).findFirst();
  }

  List<VmProcId> killed() {
    return terminateCalls.stream().flatMap(List::stream).toList();
  }
}
