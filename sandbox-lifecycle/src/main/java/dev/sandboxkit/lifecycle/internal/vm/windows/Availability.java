package dev.sandboxkit.lifecycle.internal.vm.windows;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Whether Windows Sandbox can run here (fixes mxc #560): {@code WindowsSandbox.exe} exists in the
 * system directory. No elevation, no DISM.
 *
 * @param launcher the trusted {@code <System32>\WindowsSandbox.exe} when available
 * @param summary one line: what is missing (empty when available)
 * @param detail what was checked and how to fix it (empty when available)
 */
record Availability(Optional<Path> launcher, String summary, String detail) {
  static final String EXE = "WindowsSandbox.exe";
  static final String FEATURE = "Containers-DisposableClientVM";
  static final String UNAVAILABLE = "Windows Sandbox is not available on this host. Enable the '"
      + FEATURE + "' optional feature and reboot.";
  static final String ENABLE_COMMAND = "Enable-WindowsOptionalFeature -Online -FeatureName " + FEATURE + " -All";

  boolean available() {
    return launcher.isPresent();
  }

  /**
   * Checks {@code isWindows}, then the system directory, then the file.
   *
   * @param isFile true when a path is an existing regular file
   */
  static Availability check(boolean isWindows, SystemDirectory systemDirectory, Predicate<Path> isFile) {
    if (!isWindows) {
      return new Availability(Optional.empty(), "Windows Sandbox runs only on Windows hosts.",
          "this host runs " + System.getProperty("os.name", "another OS")
              + "; use the bubblewrap driver here (--driver bubblewrap)");
    }
    Path dir;
    try {
      dir = systemDirectory.get();
    } catch (Win32Exception e) {
      return new Availability(Optional.empty(), UNAVAILABLE, e.getMessage()
          + "; cannot check for " + EXE);
    }
    Path exe = dir.resolve(EXE);
    if (!isFile.test(exe)) {
      return new Availability(Optional.empty(), UNAVAILABLE, EXE + " not found in " + dir
          + " (the system directory); enable the Windows Sandbox optional feature '" + FEATURE
          + "' from an elevated PowerShell with `" + ENABLE_COMMAND + "` (or Windows Features),"
          + " then reboot. It needs Windows 10/11 Pro, Enterprise or Education with virtualization"
          + " enabled in the firmware.");
    }
    return new Availability(Optional.of(exe), "", "");
  }
}
