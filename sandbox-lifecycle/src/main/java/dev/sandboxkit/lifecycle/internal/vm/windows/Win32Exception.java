package dev.sandboxkit.lifecycle.internal.vm.windows;

import java.io.IOException;

/** A Win32 call failed; the message names the call and the {@code GetLastError} code. */
public final class Win32Exception extends IOException {
  private static final long serialVersionUID = 1L;

  private final String function;
  private final int errorCode;

  public Win32Exception(String function, int errorCode, String what) {
    super(what + ": " + function + " failed with Win32 error " + errorCode + describe(errorCode));
    this.function = function;
    this.errorCode = errorCode;
  }

  /** The failing function, e.g. {@code CreateToolhelp32Snapshot}. */
  public String function() {
    return function;
  }

  /** The {@code GetLastError} value. */
  public int errorCode() {
    return errorCode;
  }

  private static String describe(int code) {
    switch (code) {
      case Win32.ERROR_ACCESS_DENIED:
        return " (access denied)";
      case Win32.ERROR_NO_MORE_FILES:
        return " (no more files)";
      default:
        return "";
    }
  }
}
