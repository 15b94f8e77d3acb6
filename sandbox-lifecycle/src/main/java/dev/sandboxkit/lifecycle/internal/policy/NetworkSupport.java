package dev.sandboxkit.lifecycle.internal.policy;

/**
 * Which network policies a driver can enforce; anything else is rejected before launch.
 *
 * @param allowHostNetwork {@code NetworkAccess.ALLOW} (share the host network)
 * @param hostLists per-host allow/block lists
 * @param proxy an outbound proxy
 */
public record NetworkSupport(boolean allowHostNetwork, boolean hostLists, boolean proxy) {

  /** Bubblewrap: BLOCK (loopback only) and ALLOW; no host lists, no proxy. */
  public static final NetworkSupport BUBBLEWRAP = new NetworkSupport(true, false, false);

  /** Windows Sandbox: BLOCK only (the guest firewall enforces it); no host lists, no proxy. */
  public static final NetworkSupport BLOCK_ONLY = new NetworkSupport(false, false, false);
}
