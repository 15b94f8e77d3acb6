package dev.sandboxkit.lifecycle.internal.teardown;

import java.util.Map;

/**
 * The {@code --force-reclaim} switch: tear down a live sandbox this run cannot prove it owns.
 * Presence of either variable is enough, even with an empty value.
 */
public final class ForceReclaim {

  /** sandboxkit's variable. */
  public static final String ENV = "SANDBOXKIT_FORCE_RECLAIM";

  /** mxc's variable, honoured for compatibility. */
  public static final String MXC_ENV = "WXC_WSB_FORCE_RECLAIM";

  private ForceReclaim() {
  }

  /** True when {@link #ENV} or {@link #MXC_ENV} is present in {@code env}. */
  public static boolean requested(Map<String, String> env) {
    return env.containsKey(ENV) || env.containsKey(MXC_ENV);
  }

  /** {@link #requested(Map)} on the process environment. */
  public static boolean requested() {
    return requested(System.getenv());
  }
}
