package dev.sandboxkit.lifecycle.internal.controlplane;

import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.WinBase.FILETIME;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * This process's identity for markers. On Windows the creation time must be the exact FILETIME from
 * {@code GetProcessTimes}: the JDK's {@code ProcessHandle} start instant has millisecond precision,
 * and a marker holding it never equals the exact value another run's probe reads, so a live
 * launcher would look dead to a run in another logon session. Elsewhere the JDK's value is what
 * every probe compares against.
 */
final class SelfIdentity {
  private SelfIdentity() {}

  static Optional<VmProcId> current() {
    boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    return choose(windows, ProcessHandle.current().pid(), SelfIdentity::win32CreationTime,
        () -> VmProcId.of(ProcessHandle.current()));
  }

  /**
   * Windows: the exact FILETIME, or empty when it cannot be read (never the millisecond value,
   * which would be wrong); elsewhere the JDK's identity.
   */
  static Optional<VmProcId> choose(boolean windows, long pid, Supplier<OptionalLong> win32,
      Supplier<Optional<VmProcId>> jdk) {
    if (!windows) {
      return jdk.get();
    }
    OptionalLong ct = win32.get();
    return ct.isPresent() ? Optional.of(new VmProcId(pid, ct.getAsLong())) : Optional.empty();
  }

  /** {@code GetProcessTimes(GetCurrentProcess())}'s creation FILETIME (Windows only; empty on failure). */
  static OptionalLong win32CreationTime() {
    try {
      Kernel32 k = Kernel32.INSTANCE;
      FILETIME creation = new FILETIME();
      if (!k.GetProcessTimes(k.GetCurrentProcess(), creation, new FILETIME(), new FILETIME(), new FILETIME())) {
        return OptionalLong.empty();
      }
      return OptionalLong.of(((long) creation.dwHighDateTime << 32) | (creation.dwLowDateTime & 0xFFFF_FFFFL));
    } catch (LinkageError e) {
      return OptionalLong.empty();
    }
  }
}
