package dev.sandboxkit.lifecycle.internal.vm.windows;

import com.sun.jna.Native;
import com.sun.jna.platform.win32.WinBase;
import com.sun.jna.platform.win32.WinBase.FILETIME;
import com.sun.jna.platform.win32.WinNT.HANDLE;
import dev.sandboxkit.lifecycle.internal.controlplane.VmProcId;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** {@link Win32Processes} over kernel32 through JNA (Windows only; not exercised on Linux). */
final class JnaWin32Processes implements Win32Processes {
  private final java.util.function.Supplier<Kernel32Api> k32;

  /** @param k32 resolved on first use, so constructing this class never loads kernel32 */
  JnaWin32Processes(java.util.function.Supplier<Kernel32Api> k32) {
    this.k32 = k32;
  }

  private Kernel32Api k32() {
    return k32.get();
  }

  @Override
  public List<Entry> snapshot() throws Win32Exception {
    HANDLE snap = k32().CreateToolhelp32Snapshot(Win32.TH32CS_SNAPPROCESS, 0);
    if (snap == null || WinBase.INVALID_HANDLE_VALUE.equals(snap)) {
      throw new Win32Exception("CreateToolhelp32Snapshot", Native.getLastError(),
          "could not enumerate host processes");
    }
    try {
      List<Entry> entries = new ArrayList<>();
      ProcessEntry32W entry = new ProcessEntry32W();
      boolean ok = k32().Process32FirstW(snap, entry);
      while (ok) {
        entries.add(new Entry(entry.pid(), entry.exeFile()));
        entry = new ProcessEntry32W();
        ok = k32().Process32NextW(snap, entry);
      }
      int error = Native.getLastError();
      if (error != Win32.ERROR_NO_MORE_FILES) {
        throw new Win32Exception(entries.isEmpty() ? "Process32FirstW" : "Process32NextW", error,
            "could not enumerate host processes");
      }
      return entries;
    } finally {
      k32().CloseHandle(snap);
    }
  }

  @Override
  public OptionalLong creationTime(long pid) {
    return times(pid, Win32.PROCESS_QUERY_LIMITED_INFORMATION, false);
  }

  @Override
  public OptionalLong runningCreationTime(long pid) {
    return times(pid, Win32.PROCESS_QUERY_LIMITED_INFORMATION | Win32.SYNCHRONIZE, true);
  }

  private OptionalLong times(long pid, int access, boolean requireRunning) {
    if (pid == 0) {
      return OptionalLong.empty();
    }
    HANDLE h = k32().OpenProcess(access, false, (int) pid);
    if (h == null) {
      return OptionalLong.empty();
    }
    try {
      if (requireRunning && k32().WaitForSingleObject(h, 0) == Win32.WAIT_OBJECT_0) {
        return OptionalLong.empty();
      }
      return creation(h);
    } finally {
      k32().CloseHandle(h);
    }
  }

  private OptionalLong creation(HANDLE h) {
    FILETIME creation = new FILETIME();
    if (!k32().GetProcessTimes(h, creation, new FILETIME(), new FILETIME(), new FILETIME())) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(Win32.filetime(creation.dwHighDateTime, creation.dwLowDateTime));
  }

  @Override
  public boolean terminateIfSame(VmProcId target) {
    if (target.pid() == 0) {
      return false;
    }
    HANDLE h = k32().OpenProcess(
        Win32.PROCESS_TERMINATE | Win32.PROCESS_QUERY_LIMITED_INFORMATION, false, (int) target.pid());
    if (h == null) {
      return false;
    }
    try {
      OptionalLong ct = creation(h);
      return ct.isPresent() && ct.getAsLong() == target.creationTime()
          && k32().TerminateProcess(h, Win32.KILL_EXIT_CODE);
    } finally {
      k32().CloseHandle(h);
    }
  }
}
