package dev.sandboxkit.lifecycle.internal.vm.windows;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.WString;
import com.sun.jna.platform.win32.WinNT.HANDLE;

/** {@link Win32Mutex} over kernel32 through JNA (Windows only; not exercised on Linux). */
final class JnaWin32Mutex implements Win32Mutex {
  private final java.util.function.Supplier<Kernel32Api> k32;

  /** @param k32 resolved on first use, so constructing this class never loads kernel32 */
  JnaWin32Mutex(java.util.function.Supplier<Kernel32Api> k32) {
    this.k32 = k32;
  }

  private Kernel32Api k32() {
    return k32.get();
  }

  @Override
  public long create(String name) throws Win32Exception {
    HANDLE h = k32().CreateMutexW(null, false, new WString(name));
    if (h == null || Pointer.nativeValue(h.getPointer()) == 0) {
      throw new Win32Exception("CreateMutexW", Native.getLastError(),
          "could not create or open the named mutex " + name);
    }
    return Pointer.nativeValue(h.getPointer());
  }

  @Override
  public int waitFor(long handle, int timeoutMillis) {
    return k32().WaitForSingleObject(handle(handle), timeoutMillis);
  }

  @Override
  public int lastError() {
    return Native.getLastError();
  }

  @Override
  public boolean release(long handle) {
    return k32().ReleaseMutex(handle(handle));
  }

  @Override
  public void close(long handle) {
    k32().CloseHandle(handle(handle));
  }

  private static HANDLE handle(long value) {
    return new HANDLE(new Pointer(value));
  }
}
