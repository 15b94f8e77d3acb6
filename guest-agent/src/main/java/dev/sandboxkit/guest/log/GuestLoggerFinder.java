package dev.sandboxkit.guest.log;

/**
 * The agent jar's {@link System.LoggerFinder} (registered in the shaded jar only, so that other
 * modules' tests that have the agent's classes on their class path keep the JDK's default): every
 * {@link System.Logger} writes one line to stderr through {@link GuestLog}.
 */
public final class GuestLoggerFinder extends System.LoggerFinder {
  /** Called by the service loader. */
  public GuestLoggerFinder() {}

  @Override
  public System.Logger getLogger(String name, Module module) {
    return new GuestLogger(name);
  }
}
