package dev.sandboxkit.lifecycle.internal.vm.windows;

import com.sun.jna.Native;
import java.nio.file.Path;

/**
 * Where {@code WindowsSandbox.exe} is trusted to live: the directory {@code GetSystemDirectoryW}
 * returns (not {@code %SystemRoot%} or a PATH search, which a user can redirect).
 */
@FunctionalInterface
interface SystemDirectory {

  /** The system directory, e.g. {@code C:\Windows\System32}. */
  Path get() throws Win32Exception;

  /** {@code GetSystemDirectoryW} through JNA (Windows only). */
  static SystemDirectory win32(Kernel32Api k32) {
    return () -> {
      char[] buf = new char[Win32.MAX_PATH];
      while (true) {
        int n = k32.GetSystemDirectoryW(buf, buf.length);
        int error = n == 0 ? Native.getLastError() : 0;
        Result r = interpret(n, buf.length);
        if (r == Result.FAILED) {
          throw new Win32Exception("GetSystemDirectoryW", error, "could not locate the Windows system directory");
        }
        if (r == Result.OK) {
          return Path.of(new String(buf, 0, n));
        }
        buf = new char[n];
      }
    };
  }

  /** How to read a {@code GetSystemDirectoryW} return value. */
  enum Result {
    /** The path is in the buffer (the value is its length without the NUL). */
    OK,
    /** The buffer is too small (the value is the size needed, NUL included): retry with that size. */
    RETRY_LARGER,
    /** Zero: the call failed. */
    FAILED
  }

  /** Pure interpretation of {@code GetSystemDirectoryW}'s return value for a buffer of {@code size}. */
  static Result interpret(int returned, int size) {
    if (returned <= 0) {
      return Result.FAILED;
    }
    return returned < size ? Result.OK : Result.RETRY_LARGER;
  }
}
