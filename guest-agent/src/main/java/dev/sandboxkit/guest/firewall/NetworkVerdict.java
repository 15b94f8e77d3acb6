package dev.sandboxkit.guest.firewall;

/**
 * Whether jobs may run. When not, every {@code Exec} is answered with exit -1 and {@code reason}
 * (fail closed).
 */
public record NetworkVerdict(boolean jobsAllowed, String reason) {
  /** Jobs may run. */
  public static final NetworkVerdict OK = new NetworkVerdict(true, "");

  /** Jobs are refused, with the reason the host will see. */
  public static NetworkVerdict refuse(String reason) {
    return new NetworkVerdict(false, reason);
  }
}
