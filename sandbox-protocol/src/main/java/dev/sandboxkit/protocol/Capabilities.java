package dev.sandboxkit.protocol;

import java.util.List;

/**
 * Names of the protocol extensions a guest can announce in {@link ControlMessage.Ready}. A host
 * uses an extension only when the guest announced it, and ignores names it does not know; an mxc
 * guest announces none (its {@code Ready} carries no {@code capabilities} field).
 */
public final class Capabilities {
  /** {@link ControlMessage.Exec#env()}: the guest applies the job's environment variables. */
  public static final String ENV = "env";
  /** {@link ControlMessage.Cancel}: the guest kills the named job's whole tree on request. */
  public static final String CANCEL = "cancel";

  /** Every extension this version of the protocol defines, in the order a guest announces them. */
  public static final List<String> ALL = List.of(CANCEL, ENV);

  private Capabilities() {}
}
