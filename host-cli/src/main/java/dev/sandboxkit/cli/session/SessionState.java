package dev.sandboxkit.cli.session;

import java.util.Locale;

/** A session record's state (mxc's provisioned/started/stopped plus starting). */
public enum SessionState {
  /** mxc provision: policy stored, no sandbox. */
  PROVISIONED,
  /** A daemon is being started. */
  STARTING,
  /** A daemon owns a live sandbox (or did: {@code ls} checks the daemon). */
  STARTED,
  /** Stopped; the sandbox is confirmed gone. */
  STOPPED;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static SessionState fromWire(String s) {
    for (SessionState v : values()) {
      if (v.wire().equals(s)) {
        return v;
      }
    }
    throw new IllegalArgumentException("unknown state " + SessionId.quote(s));
  }
}
