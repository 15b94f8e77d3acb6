package dev.sandboxkit.lifecycle.internal.vm.windows;

import dev.sandboxkit.lifecycle.internal.controlplane.VmProcId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** An in-memory process table with Win32-like probe semantics. */
final class FakeWin32Processes implements Win32Processes {
  record Proc(long pid, String name, long creationTime, boolean openable) {}

  final Map<Long, Proc> table = new LinkedHashMap<>();
  final List<VmProcId> terminated = new ArrayList<>();
  /** Pids that ignore TerminateProcess (e.g. protected). */
  final Set<Long> unkillable = ConcurrentHashMap.newKeySet();
  int snapshotCalls;
  /** When set, snapshot() throws it. */
  Win32Exception snapshotFailure;
  /** When > 0, the first N snapshots fail. */
  int failFirstSnapshots;

  synchronized FakeWin32Processes add(long pid, String name, long ct) {
    table.put(pid, new Proc(pid, name, ct, true));
    return this;
  }

  synchronized FakeWin32Processes addUnopenable(long pid, String name) {
    table.put(pid, new Proc(pid, name, 0, false));
    return this;
  }

  synchronized void remove(long pid) {
    table.remove(pid);
  }

  @Override
  public synchronized List<Entry> snapshot() throws Win32Exception {
    snapshotCalls++;
    if (snapshotFailure != null) {
      throw snapshotFailure;
    }
    if (failFirstSnapshots > 0) {
      failFirstSnapshots--;
      throw new Win32Exception("CreateToolhelp32Snapshot", 8, "could not enumerate host processes");
    }
    List<Entry> entries = new ArrayList<>();
    entries.add(new Entry(0, "[System Process]"));
    for (Proc p : table.values()) {
      entries.add(new Entry(p.pid(), p.name()));
    }
    return entries;
  }

  @Override
  public synchronized OptionalLong creationTime(long pid) {
    Proc p = table.get(pid);
    return p == null || !p.openable() || pid == 0 ? OptionalLong.empty() : OptionalLong.of(p.creationTime());
  }

  @Override
  public synchronized OptionalLong runningCreationTime(long pid) {
    return creationTime(pid);
  }

  @Override
  public synchronized boolean terminateIfSame(VmProcId target) {
    Proc p = table.get(target.pid());
    if (p == null || !p.openable() || p.creationTime() != target.creationTime()) {
      return false;
    }
    terminated.add(target);
    if (!unkillable.contains(target.pid())) {
      table.remove(target.pid());
    }
    return true;
  }
}
