package dev.sandboxkit.lifecycle;

/**
 * Observes the steps of a run, like OkHttp's {@code EventListener}: every method is a no-op by
 * default, in start / end / failed triples. Steps run in this order: prepare (validate, plan, host
 * slot, reconcile, run dir, launch files), launch (start the sandbox, capture proof), rendezvous
 * (wait for the guest's address), handshake (connect four channels, preamble, Ready), exec (the
 * command), teardown (always, also after a failure). A failed step is followed only by teardown.
 *
 * <p>Methods are called on the thread that called {@link OneShotRunner#run}, must return quickly and
 * must not throw (exceptions are logged and ignored).
 */
public interface SandboxListener {

  /** Does nothing. */
  SandboxListener NONE = new SandboxListener() {};

  default void prepareStart() {}

  default void prepareEnd() {}

  default void prepareFailed(SandboxException e) {}

  default void launchStart() {}

  default void launchEnd() {}

  default void launchFailed(SandboxException e) {}

  default void rendezvousStart() {}

  default void rendezvousEnd() {}

  default void rendezvousFailed(SandboxException e) {}

  default void handshakeStart() {}

  default void handshakeEnd() {}

  default void handshakeFailed(SandboxException e) {}

  default void execStart() {}

  /** The command ended (any exit code, including a timeout) and its result is known. */
  default void execEnd(ExecutionResult result) {}

  default void execFailed(SandboxException e) {}

  default void teardownStart() {}

  default void teardownEnd() {}

  /** Teardown could not confirm the sandbox is gone; the next run reconciles it. */
  default void teardownFailed(SandboxException e) {}
}
