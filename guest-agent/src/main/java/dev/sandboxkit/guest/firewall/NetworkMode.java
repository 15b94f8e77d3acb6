package dev.sandboxkit.guest.firewall;

import java.util.Locale;

/** {@code --network}: what the sandbox's policy allows. */
public enum NetworkMode {
  /** Only the host connection; the agent locks the network down or refuses jobs. */
  BLOCK,
  /** The policy allows the network: no lockdown, no check. */
  ALLOW;

  /** Parses {@code block} or {@code allow} (case-insensitive). */
  public static NetworkMode parse(String s) {
    switch (s.toLowerCase(Locale.ROOT)) {
      case "block":
        return BLOCK;
      case "allow":
        return ALLOW;
      default:
        throw new IllegalArgumentException("--network must be block or allow, got '" + s + "'");
    }
  }
}
