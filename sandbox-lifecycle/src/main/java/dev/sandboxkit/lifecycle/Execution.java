package dev.sandboxkit.lifecycle;

import dev.sandboxkit.*;

import java.util.concurrent.CompletableFuture;

/**
 * One execution running in a {@link dev.sandboxkit.Sandbox}, from {@link dev.sandboxkit.Sandbox#start(ExecutionRequest)}.
 * Thread-safe.
 */
public interface Execution {

  /** The execution id (the {@code exec_id} sent to the guest; listener events carry it). */
  String id();

  /**
   * Completes with the result (for {@link FailurePhase#NONE}, {@link FailurePhase#PROCESS_EXITED},
   * {@link FailurePhase#TIMED_OUT}, {@link FailurePhase#CANCELLED}), or exceptionally with a
   * {@link SandboxClosedException} when the sandbox closed or died during the execution.
   * Cancelling the future itself does not stop the command: use {@link #cancel()}.
   */
  CompletableFuture<ExecutionResult> result();

  /**
   * Kills this execution's whole process tree; the result becomes {@link FailurePhase#CANCELLED}
   * and the sandbox stays usable. When the guest does not support cancelling (an mxc guest: no
   * {@code cancel} capability), the only way to stop the command is to tear the sandbox down: the
   * result is still CANCELLED, and the sandbox is closed. Does nothing once the execution ended.
   */
  void cancel();

  /** Waits for the result; a closed or dead sandbox is thrown as {@link SandboxClosedException}. */
  ExecutionResult await() throws SandboxException, InterruptedException;
}
