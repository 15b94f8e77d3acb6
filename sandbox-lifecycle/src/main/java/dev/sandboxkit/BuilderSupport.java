package dev.sandboxkit;

import dev.sandboxkit.*;

import dev.sandboxkit.lifecycle.*;

import dev.sandboxkit.lifecycle.internal.vm.DriverSpi;
import java.util.Objects;

/** What the public builders share. */
final class BuilderSupport {
  private BuilderSupport() {}

  /** The driver's implementation: only the built-in drivers of {@link SandboxDrivers} have one. */
  static DriverSpi spi(SandboxDriver driver) {
    Objects.requireNonNull(driver, "driver");
    if (driver instanceof DriverSpi spi) {
      return spi;
    }
    throw new IllegalArgumentException("'" + driver.name() + "' is not a built-in driver; use one of "
        + "SandboxDrivers.auto(), byName(..) or all()");
  }
}
