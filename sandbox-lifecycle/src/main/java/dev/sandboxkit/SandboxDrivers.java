package dev.sandboxkit;

import dev.sandboxkit.*;

import dev.sandboxkit.lifecycle.*;

import dev.sandboxkit.lifecycle.internal.vm.bubblewrap.BubblewrapDriver;
import java.lang.reflect.InvocationTargetException;
import java.util.List;
import java.util.Locale;

/** Finds a {@link SandboxDriver} by name. */
public final class SandboxDrivers {
  /** The names {@link #byName(String)} accepts. */
  public static final List<String> NAMES = List.of("auto", "bubblewrap", "windows-sandbox");

  static final String WINDOWS_DRIVER_CLASS =
      "dev.sandboxkit.lifecycle.internal.vm.windows.WindowsSandboxDriver";

  private SandboxDrivers() {}

  /** The default driver for this OS: windows-sandbox on Windows, bubblewrap elsewhere. */
  public static SandboxDriver auto() {
    return isWindows() ? windowsSandbox() : bubblewrap();
  }

  /**
   * {@code "auto"}, {@code "bubblewrap"} or {@code "windows-sandbox"} (case-insensitive).
   *
   * @throws IllegalArgumentException for any other name, listing the valid ones
   */
  public static SandboxDriver byName(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    switch (n) {
      case "auto":
        return auto();
      case "bubblewrap":
        return bubblewrap();
      case "windows-sandbox":
        return windowsSandbox();
      default:
        throw new IllegalArgumentException(
            "unknown sandbox driver '" + name + "'; use one of " + String.join(", ", NAMES));
    }
  }

  /** Every concrete driver (for {@code doctor}), the default one first. */
  public static List<SandboxDriver> all() {
    return isWindows()
        ? List.of(windowsSandbox(), bubblewrap())
        : List.of(bubblewrap(), windowsSandbox());
  }

  private static SandboxDriver bubblewrap() {
    return new BubblewrapDriver();
  }

  private static SandboxDriver windowsSandbox() {
    try {
      return (SandboxDriver)
          Class.forName(WINDOWS_DRIVER_CLASS).getDeclaredConstructor().newInstance();
    } catch (ClassNotFoundException
        | NoSuchMethodException
        | InstantiationException
        | IllegalAccessException e) {
      throw new IllegalStateException(
          "the windows-sandbox driver is not part of this build (" + WINDOWS_DRIVER_CLASS + ")", e);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException(
          "the windows-sandbox driver failed to initialise: " + e.getCause(), e.getCause());
    }
  }

  static boolean isWindows() {
    return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
  }
}
