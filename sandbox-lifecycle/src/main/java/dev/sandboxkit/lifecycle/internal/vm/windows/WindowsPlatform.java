package dev.sandboxkit.lifecycle.internal.vm.windows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Everything the driver needs from the OS, in one place so tests substitute fakes. {@link #real()}
 * builds the JNA implementations lazily: constructing it never loads a Windows library, so the driver
 * can be listed (and its checks answered) on Linux.
 */
record WindowsPlatform(
    boolean isWindows,
    SystemDirectory systemDirectory,
    Predicate<Path> isFile,
    Win32Processes processes,
    Win32Mutex mutex,
    DaclProtector dacl,
    SandboxLauncher launcher,
    Timing timing) {

  /** The host's real platform. */
  static WindowsPlatform real() {
    boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    return new WindowsPlatform(
        windows,
        () -> SystemDirectory.win32(Kernel32Api.load()).get(),
        Files::isRegularFile,
        new JnaWin32Processes(Kernel32Api::load),
        new JnaWin32Mutex(Kernel32Api::load),
        windows ? DaclProtector.win32() : DaclProtector.NONE,
        SandboxLauncher.processBuilder(),
        Timing.SYSTEM);
  }
}
