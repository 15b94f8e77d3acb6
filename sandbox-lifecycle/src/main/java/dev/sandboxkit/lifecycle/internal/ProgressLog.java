package dev.sandboxkit.lifecycle.internal;

/**
 * The logger of one-time steps a user should hear about without asking (the first run's archive
 * build, about a second): records at INFO under {@value #NAME}. The CLI prints them unless
 * {@code -q}; other loggers' INFO records need {@code -v}. Created on first use only: the launch
 * path never starts the logging backend.
 */
public final class ProgressLog {
  public static final String NAME = "dev.sandboxkit.lifecycle.progress";

  private ProgressLog() {}

  public static System.Logger get() {
    return System.getLogger(NAME);
  }
}
