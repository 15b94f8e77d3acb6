package dev.sandboxkit.lifecycle.internal.bridge;

import java.io.IOException;

/** A bridge step failed; the message names the step, the channel and the numbers. */
public class BridgeException extends IOException {
  private static final long serialVersionUID = 1L;

  public BridgeException(String message) {
    super(message);
  }

  public BridgeException(String message, Throwable cause) {
    super(message, cause);
  }

  /** A deadline passed. */
  public static final class Timeout extends BridgeException {
    private static final long serialVersionUID = 1L;

    public Timeout(String message) {
      super(message);
    }
  }

  /** The waiting thread was woken on purpose ({@code ControlChannel.wakeup}); not a failure. */
  public static final class Woken extends BridgeException {
    private static final long serialVersionUID = 1L;

    public Woken() {
      super("woken");
    }
  }
}
