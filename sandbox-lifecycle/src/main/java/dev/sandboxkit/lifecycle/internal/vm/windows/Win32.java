package dev.sandboxkit.lifecycle.internal.vm.windows;

/**
 * The Win32 constants the driver passes to or reads from the OS (values from the Windows SDK
 * headers; docs/control-plane.md §2.5). Tests pin every value.
 */
final class Win32 {
  /** {@code OpenProcess} right to read times and basic information. */
  static final int PROCESS_QUERY_LIMITED_INFORMATION = 0x1000;
  /** {@code OpenProcess} right to wait on the process handle. */
  static final int SYNCHRONIZE = 0x0010_0000;
  /** {@code OpenProcess} right to terminate the process. */
  static final int PROCESS_TERMINATE = 0x0001;

  /** {@code WaitForSingleObject}: the object is signalled (mutex acquired / process exited). */
  static final int WAIT_OBJECT_0 = 0x0000_0000;
  /** {@code WaitForSingleObject}: the mutex was acquired because its previous owner died. */
  static final int WAIT_ABANDONED = 0x0000_0080;
  /** {@code WaitForSingleObject}: the timeout elapsed. */
  static final int WAIT_TIMEOUT = 0x0000_0102;
  /** {@code WaitForSingleObject}: the call failed ({@code GetLastError} says why). */
  static final int WAIT_FAILED = 0xFFFF_FFFF;
  /** {@code INFINITE}: never passed by this driver (waits are capped below it). */
  static final int INFINITE = 0xFFFF_FFFF;
  /** The largest finite wait in milliseconds (one below {@link #INFINITE}). */
  static final long MAX_FINITE_WAIT_MS = 0xFFFF_FFFEL;

  /** {@code CreateToolhelp32Snapshot}: include all processes. */
  static final int TH32CS_SNAPPROCESS = 0x0000_0002;
  /** {@code Process32NextW}: the walk reached the end (the only non-error end). */
  static final int ERROR_NO_MORE_FILES = 18;
  /** {@code CreateMutexW} succeeded but the mutex already existed (not an error). */
  static final int ERROR_ALREADY_EXISTS = 183;
  /** Generic access denied. */
  static final int ERROR_ACCESS_DENIED = 5;

  /** {@code MAX_PATH}: characters in {@code PROCESSENTRY32W.szExeFile} and the first system-dir buffer. */
  static final int MAX_PATH = 260;
  /** {@code TerminateProcess} exit code used for every kill (as mxc). */
  static final int KILL_EXIT_CODE = 1;

  /** {@code SE_OBJECT_TYPE.SE_FILE_OBJECT}. */
  static final int SE_FILE_OBJECT = 1;
  /** {@code SECURITY_INFORMATION}: the DACL. */
  static final int DACL_SECURITY_INFORMATION = 0x0000_0004;
  /** {@code SECURITY_INFORMATION}: set the DACL protected (no inherited ACEs). */
  static final int PROTECTED_DACL_SECURITY_INFORMATION = 0x8000_0000;
  /** {@code SECURITY_DESCRIPTOR_CONTROL}: the DACL is protected from inheritance. */
  static final int SE_DACL_PROTECTED = 0x1000;

  private Win32() {}

  /** Two 32-bit FILETIME halves as one unsigned 64-bit tick count ({@code (high << 32) | low}). */
  static long filetime(int high, int low) {
    return ((long) high << 32) | (low & 0xFFFF_FFFFL);
  }

  /** A DWORD (e.g. a pid or a WAIT_* code) as its unsigned value. */
  static long dword(int value) {
    return value & 0xFFFF_FFFFL;
  }
}
