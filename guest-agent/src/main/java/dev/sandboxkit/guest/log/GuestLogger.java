package dev.sandboxkit.guest.log;

import java.util.ResourceBundle;

/** A {@link System.Logger} that writes through {@link GuestLog}; resource bundles are ignored. */
final class GuestLogger implements System.Logger {
  private final String name;

  GuestLogger(String name) {
    this.name = name;
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public boolean isLoggable(Level level) {
    return GuestLog.enabled(level);
  }

  @Override
  public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
    if (GuestLog.enabled(level)) {
      GuestLog.write(level, name, msg, thrown);
    }
  }

  @Override
  public void log(Level level, ResourceBundle bundle, String format, Object... params) {
    if (GuestLog.enabled(level)) {
      GuestLog.write(level, name, LogLine.substitute(format, params), null);
    }
  }
}
