package dev.sandboxkit.lifecycle.internal.vm.windows;

/**
 * The thin Win32 named-mutex layer. Every call for one mutex must happen on the same thread (a
 * Win32 mutex is owned by a thread); {@link NamedMutexHostSlot} guarantees that. Handles are opaque
 * non-zero values.
 */
interface Win32Mutex {

  /**
   * {@code CreateMutexW(NULL, FALSE, name)}; {@code ERROR_ALREADY_EXISTS} is not an error.
   *
   * @throws Win32Exception when no handle was returned
   */
  long create(String name) throws Win32Exception;

  /** {@code WaitForSingleObject(handle, timeoutMillis)}: the raw WAIT_* value. */
  int waitFor(long handle, int timeoutMillis);

  /** {@code GetLastError} right after the previous call on this thread. */
  int lastError();

  /** {@code ReleaseMutex}. */
  boolean release(long handle);

  /** {@code CloseHandle}. */
  void close(long handle);
}
