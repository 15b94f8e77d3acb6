package dev.sandboxkit.lifecycle.internal.vm.windows;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.WString;
import com.sun.jna.platform.win32.WinBase.FILETIME;
import com.sun.jna.platform.win32.WinNT.HANDLE;
import com.sun.jna.win32.StdCallLibrary;
import java.util.Map;

/**
 * The kernel32 functions the driver calls, with their exact export names (the {@code W} variants
 * named explicitly, so no function mapper is involved). Java {@code boolean} maps to the 32-bit
 * {@code BOOL}; {@code int} parameters are DWORDs. Loaded lazily through {@link #load()}, so this
 * interface can be inspected (and its mappings tested) on Linux.
 */
public interface Kernel32Api extends StdCallLibrary {

  /** Loads kernel32 (Windows only). */
  static Kernel32Api load() {
    return Holder.INSTANCE;
  }

  /** {@code HANDLE OpenProcess(DWORD dwDesiredAccess, BOOL bInheritHandle, DWORD dwProcessId)}. */
  HANDLE OpenProcess(int desiredAccess, boolean inheritHandle, int processId);

  /** {@code BOOL GetProcessTimes(HANDLE, LPFILETIME creation, exit, kernel, user)}. */
  boolean GetProcessTimes(HANDLE process, FILETIME creation, FILETIME exit, FILETIME kernel, FILETIME user);

  /** {@code DWORD WaitForSingleObject(HANDLE, DWORD dwMilliseconds)}. */
  int WaitForSingleObject(HANDLE handle, int milliseconds);

  /** {@code BOOL TerminateProcess(HANDLE, UINT uExitCode)}. */
  boolean TerminateProcess(HANDLE process, int exitCode);

  /** {@code BOOL CloseHandle(HANDLE)}. */
  boolean CloseHandle(HANDLE handle);

  /** {@code HANDLE CreateToolhelp32Snapshot(DWORD dwFlags, DWORD th32ProcessID)}. */
  HANDLE CreateToolhelp32Snapshot(int flags, int processId);

  /** {@code BOOL Process32FirstW(HANDLE, LPPROCESSENTRY32W)}. */
  boolean Process32FirstW(HANDLE snapshot, ProcessEntry32W entry);

  /** {@code BOOL Process32NextW(HANDLE, LPPROCESSENTRY32W)}. */
  boolean Process32NextW(HANDLE snapshot, ProcessEntry32W entry);

  /** {@code HANDLE CreateMutexW(LPSECURITY_ATTRIBUTES, BOOL bInitialOwner, LPCWSTR lpName)}. */
  HANDLE CreateMutexW(Pointer securityAttributes, boolean initialOwner, WString name);

  /** {@code BOOL ReleaseMutex(HANDLE)}. */
  boolean ReleaseMutex(HANDLE mutex);

  /** {@code UINT GetSystemDirectoryW(LPWSTR lpBuffer, UINT uSize)}; {@code uSize} in WCHARs. */
  int GetSystemDirectoryW(char[] buffer, int size);

  /** Lazy holder: loading kernel32 only works on Windows. */
  final class Holder {
    static final Kernel32Api INSTANCE = Native.load("kernel32", Kernel32Api.class, Map.of());

    private Holder() {}
  }
}
