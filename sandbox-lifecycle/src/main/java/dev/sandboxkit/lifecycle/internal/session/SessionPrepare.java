package dev.sandboxkit.lifecycle.internal.session;

import dev.sandboxkit.lifecycle.PrepareResult;
import dev.sandboxkit.lifecycle.SandboxException;
import dev.sandboxkit.lifecycle.internal.vm.DriverSpi;
import java.nio.file.Path;

/**
 * The explicit one-time step ({@code Sandbox.Builder.prepare()}, {@code OneShotRunner.prepare()},
 * {@code sandboxkit prepare}): what a first start would build on a user's time, built now — the
 * guest jar found as a start finds it, the driver's {@link DriverSpi#prepareAhead}. The listener's
 * archive events carry the empty sandbox id (no sandbox is started).
 */
public final class SessionPrepare {
  private SessionPrepare() {}

  /**
   * @throws SandboxException REJECTED: the guest jar cannot be found or the driver cannot run here
   */
  public static PrepareResult run(DriverSpi driver, SessionSettings settings) throws SandboxException {
    SafeListener listener = new SafeListener(settings.listener());
    Path guestJar = SessionStart.guestJar(settings);
    Path javaHome = Path.of(System.getProperty("java.home"));
    return driver.prepareAhead(new DriverSpi.Ahead(guestJar, javaHome, settings.cacheDir(),
        settings.classDataArchives(), listener.archiveEvents()));
  }
}
