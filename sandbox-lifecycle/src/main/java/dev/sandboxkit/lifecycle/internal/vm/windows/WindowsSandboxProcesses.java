package dev.sandboxkit.lifecycle.internal.vm.windows;

import dev.sandboxkit.lifecycle.internal.controlplane.HostSnapshot;
import dev.sandboxkit.lifecycle.internal.controlplane.ProcessProbe;
import dev.sandboxkit.lifecycle.internal.controlplane.VmProcId;
import dev.sandboxkit.lifecycle.internal.teardown.SandboxKiller;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The Windows Sandbox host processes: enumeration by image-name prefix, identity probes and
 * identity-checked kills, built on the thin {@link Win32Processes} layer.
 *
 * <p>Fixes over the reference: one enumeration yields both the identified processes and the pids
 * that are present but cannot be opened (W3, fail closed); any enumeration error is a probe failure
 * (W4, W5); "still running" is judged by the identities we own, never by prefix (W6).
 */
final class WindowsSandboxProcesses implements ProcessProbe, SandboxKiller {

  /** Image names of Windows Sandbox host processes start with this, ignoring case. */
  static final String PREFIX = "WindowsSandbox";

  private static final System.Logger LOG = System.getLogger(WindowsSandboxProcesses.class.getName());

  private final Win32Processes win32;

  WindowsSandboxProcesses(Win32Processes win32) {
    this.win32 = win32;
  }

  /** True when {@code imageName} starts with {@code WindowsSandbox}, ignoring case (Locale.ROOT). */
  static boolean isSandboxHostProcess(String imageName) {
    return imageName.toLowerCase(Locale.ROOT).startsWith(PREFIX.toLowerCase(Locale.ROOT));
  }

  /**
   * One enumeration of {@code WindowsSandbox*} processes, each identified by the plain creation-time
   * probe; pids of the VM's own processes that cannot be opened are reported as unidentifiable,
   * other unopenable helpers are ignored ({@link SandboxImageNames}). Empty when enumeration failed.
   */
  @Override
  public Optional<HostSnapshot> snapshot() {
    List<Win32Processes.Entry> entries;
    try {
      entries = win32.snapshot();
    } catch (Win32Exception e) {
      LOG.log(System.Logger.Level.WARNING, "Windows Sandbox process probe failed: {0}", e.getMessage());
      return Optional.empty();
    }
    List<VmProcId> identified = new ArrayList<>();
    List<Long> unidentifiable = new ArrayList<>();
    for (Win32Processes.Entry e : entries) {
      SandboxImageNames.Role role = e.pid() == 0 ? SandboxImageNames.Role.NONE : SandboxImageNames.role(e.imageName());
      if (role == SandboxImageNames.Role.NONE) {
        continue;
      }
      OptionalLong ct = win32.creationTime(e.pid());
      if (ct.isPresent()) {
        identified.add(new VmProcId(e.pid(), ct.getAsLong()));
      } else if (role == SandboxImageNames.Role.VM) {
        unidentifiable.add(e.pid());
      } else {
        LOG.log(System.Logger.Level.DEBUG, "ignoring {0} (pid {1}): not one of the VM''s processes and it"
            + " cannot be opened", e.imageName(), e.pid());
      }
    }
    return Optional.of(new HostSnapshot(identified, unidentifiable));
  }

  @Override
  public OptionalLong runningCreationTime(long pid) {
    return pid == 0 ? OptionalLong.empty() : win32.runningCreationTime(pid);
  }

  /** Identity-checked kills (creation time re-read on the handle that terminates); never waits. */
  @Override
  public int terminate(List<VmProcId> targets) {
    int killed = 0;
    for (VmProcId id : targets) {
      if (id.pid() != 0 && win32.terminateIfSame(id)) {
        killed++;
      }
    }
    return killed;
  }

  /** The members of {@code killSet} still running with their recorded creation time. */
  @Override
  public Optional<List<VmProcId>> stillRunning(List<VmProcId> killSet) {
    List<VmProcId> alive = new ArrayList<>();
    for (VmProcId id : killSet) {
      if (isAlive(id)) {
        alive.add(id);
      }
    }
    return Optional.of(alive);
  }
}
