package dev.sandboxkit.lifecycle;

import dev.sandboxkit.*;

/**
 * Observes the steps of a sandbox, like OkHttp's {@code EventListener}: every method is a no-op by
 * default, in start / end / failed triples. Every event carries the sandbox id (so events of
 * concurrent sandboxes can be told apart) and exec events the execution id.
 *
 * <p>Order: prepare (validate, plan, host slot, reconcile, run dir, launch files; within it, only when
 * the bubblewrap guest's class-data archive is missing for this guest jar and runtime, one archive
 * triple around its training, about 3 s, once), launch (start the
 * sandbox, capture proof), rendezvous (wait for the guest's address), handshake (connect four
 * channels, preamble, Ready) — then one exec triple per execution, in order — then teardown (always,
 * also after a failure). A failed start step is followed only by teardown. Before the run dir exists
 * (e.g. a rejected policy) the sandbox id is the empty string.
 *
 * <p>Methods are called on the thread doing the step (the caller's, an execution's, or the
 * sandbox's timer), must return quickly and must not throw (exceptions are logged and ignored).
 */
public interface SandboxListener {

  /** Does nothing. */
  SandboxListener NONE = new SandboxListener() {};

  default void prepareStart(String sandboxId) {}

  default void prepareEnd(String sandboxId) {}

  default void prepareFailed(String sandboxId, SandboxException e) {}

  /**
   * The guest's class-data archive is missing and is being built now, before this sandbox starts
   * (once per guest jar and Java runtime; {@link dev.sandboxkit.Sandbox.Builder#prepare()} does it ahead). From
   * {@code prepare()} itself the sandbox id is the empty string.
   */
  default void archiveStart(String sandboxId) {}

  /** The archive is built; this sandbox and later ones start from it. */
  default void archiveEnd(String sandboxId) {}

  /**
   * The archive could not be built: {@code reason} says why. Not a failure of the sandbox: it starts
   * without the archive (slower).
   */
  default void archiveFailed(String sandboxId, String reason) {}

  default void launchStart(String sandboxId) {}

  default void launchEnd(String sandboxId) {}

  default void launchFailed(String sandboxId, SandboxException e) {}

  default void rendezvousStart(String sandboxId) {}

  default void rendezvousEnd(String sandboxId) {}

  default void rendezvousFailed(String sandboxId, SandboxException e) {}

  default void handshakeStart(String sandboxId) {}

  default void handshakeEnd(String sandboxId) {}

  default void handshakeFailed(String sandboxId, SandboxException e) {}

  default void execStart(String sandboxId, String executionId) {}

  /** The command ended (any exit code, a timeout, a cancel) and its result is known. */
  default void execEnd(String sandboxId, String executionId, ExecutionResult result) {}

  /** The execution failed for a reason of the sandbox's (transport, guest death, closed). */
  default void execFailed(String sandboxId, String executionId, SandboxException e) {}

  default void teardownStart(String sandboxId) {}

  default void teardownEnd(String sandboxId) {}

  /** Teardown could not confirm the sandbox is gone; the next run reconciles it. */
  default void teardownFailed(String sandboxId, SandboxException e) {}
}
