package dev.sandboxkit.lifecycle.internal.vm.windows;

import java.util.Optional;

/**
 * mxc's legacy {@code experimental.windows_sandbox} fields, accepted and ignored (docs/mxc-compatibility.md
 * §1.6): {@code idleTimeoutMs} (u32, default 300000), {@code idleTimeout} (used only when {@code
 * idleTimeoutMs} is absent, copied without unit conversion), {@code daemonPipeName} (default {@code
 * wxc-windows-sandbox}).
 */
public final class LegacyWindowsSandboxSettings {
  /** mxc's default {@code idleTimeoutMs}. */
  public static final long DEFAULT_IDLE_TIMEOUT_MS = 300_000L;
  /** mxc's default {@code daemonPipeName}. */
  public static final String DEFAULT_DAEMON_PIPE_NAME = "wxc-windows-sandbox";
  /** The one warning line (mxc's wording). */
  public static final String WARNING = "warning: experimental.windows_sandbox.idleTimeoutMs and daemonPipeName"
      + " are ignored by the one-shot backend; each invocation launches and tears down a fresh VM";

  private LegacyWindowsSandboxSettings() {}

  /**
   * The warning to print once when an effective value differs from its default; empty otherwise.
   *
   * @param idleTimeoutMs {@code idleTimeoutMs}, or null when absent
   * @param idleTimeout {@code idleTimeout}, or null when absent (used only without {@code idleTimeoutMs})
   * @param daemonPipeName {@code daemonPipeName}, or null when absent
   */
  public static Optional<String> warningFor(Long idleTimeoutMs, Long idleTimeout, String daemonPipeName) {
    long idle = idleTimeoutMs != null ? idleTimeoutMs
        : idleTimeout != null ? idleTimeout : DEFAULT_IDLE_TIMEOUT_MS;
    String pipe = daemonPipeName != null ? daemonPipeName : DEFAULT_DAEMON_PIPE_NAME;
    boolean nonDefault = idle != DEFAULT_IDLE_TIMEOUT_MS || !pipe.equals(DEFAULT_DAEMON_PIPE_NAME);
    return nonDefault ? Optional.of(WARNING) : Optional.empty();
  }
}
