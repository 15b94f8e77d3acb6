package dev.sandboxkit.lifecycle.internal.vm.windows;

import dev.sandboxkit.lifecycle.internal.controlplane.VmProcId;
import java.util.List;
import java.util.OptionalLong;

/**
 * The thin Win32 process layer: one call each, no decisions. {@link JnaWin32Processes} is the real
 * one (exercised only on Windows); tests use a fake. Every decision built on it lives in {@link
 * WindowsSandboxProcesses}.
 */
interface Win32Processes {

  /** One process of a Toolhelp32 snapshot. */
  record Entry(long pid, String imageName) {}

  /**
   * Every process in one Toolhelp32 snapshot ({@code TH32CS_SNAPPROCESS}).
   *
   * @throws Win32Exception when the snapshot cannot be taken, or the walk ends with any error other
   *     than {@code ERROR_NO_MORE_FILES} (including a failing {@code Process32FirstW}: W4)
   */
  List<Entry> snapshot() throws Win32Exception;

  /**
   * Plain probe: {@code OpenProcess(QUERY_LIMITED)} + {@code GetProcessTimes}; empty on any
   * failure or for pid 0. Does not check liveness.
   */
  OptionalLong creationTime(long pid);

  /**
   * Liveness-aware probe: {@code OpenProcess(QUERY_LIMITED | SYNCHRONIZE)}, {@code
   * WaitForSingleObject(h, 0)} (only {@code WAIT_OBJECT_0} means exited), {@code GetProcessTimes};
   * empty when exited, unopenable, or pid 0.
   */
  OptionalLong runningCreationTime(long pid);

  /**
   * {@code OpenProcess(TERMINATE | QUERY_LIMITED)}, {@code GetProcessTimes} on that same handle,
   * and {@code TerminateProcess(h, 1)} only when the creation time equals {@code target}'s.
   *
   * @return true when {@code TerminateProcess} succeeded
   */
  boolean terminateIfSame(VmProcId target);
}
