package dev.sandboxkit.lifecycle.internal.teardown;

import java.io.IOException;

/** A marker file that cannot be parsed; it counts as a dead launcher with no proof. */
public final class MarkerFormatException extends IOException {

  private static final long serialVersionUID = 1L;

  public MarkerFormatException(String message) {
    super(message);
  }
}
