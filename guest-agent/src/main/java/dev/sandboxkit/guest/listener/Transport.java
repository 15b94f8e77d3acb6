package dev.sandboxkit.guest.listener;

import java.util.Locale;

/** How the host reaches the agent. */
public enum Transport {
  /** TCP on all IPv4 interfaces, advertised as {@code <ip>:<port>} (Windows Sandbox). */
  TCP,
  /** Unix domain socket {@code agent.sock} in the rendezvous folder, advertised as {@code unix:agent.sock}. */
  UNIX;

  /** Parses {@code tcp} or {@code unix} (case-insensitive). */
  public static Transport parse(String s) {
    switch (s.toLowerCase(Locale.ROOT)) {
      case "tcp":
        return TCP;
      case "unix":
        return UNIX;
      default:
        throw new IllegalArgumentException("--transport must be tcp or unix, got '" + s + "'");
    }
  }
}
