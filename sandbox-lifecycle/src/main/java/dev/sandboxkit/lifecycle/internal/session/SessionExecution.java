package dev.sandboxkit.lifecycle.internal.session;

import dev.sandboxkit.lifecycle.Execution;
import dev.sandboxkit.lifecycle.ExecutionResult;
import dev.sandboxkit.lifecycle.FailurePhase;
import dev.sandboxkit.lifecycle.SandboxClosedException;
import dev.sandboxkit.lifecycle.SandboxException;
import dev.sandboxkit.lifecycle.internal.bridge.CancelSignal;
import dev.sandboxkit.lifecycle.internal.bridge.ExecSpec;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** One execution admitted by a {@link LiveSession}; its result completes once. */
public final class SessionExecution implements Execution {
  private final LiveSession session;
  private final ExecSpec spec;
  private final int captureLimit;
  final CancelSignal cancel = new CancelSignal();
  private final CompletableFuture<ExecutionResult> result = new CompletableFuture<>();
  /** Set when cancel() had to tear the sandbox down (a guest without the cancel capability). */
  volatile boolean cancelledByTeardown;
  /** The one-shot view: the mapped result also when the sandbox failed (partial output kept). */
  private volatile ExecutionResult raw;
  private volatile Thread runner;

  SessionExecution(LiveSession session, ExecSpec spec, int captureLimit) {
    this.session = session;
    this.spec = spec;
    this.captureLimit = captureLimit;
  }

  @Override
  public String id() {
    return spec.execId();
  }

  ExecSpec spec() {
    return spec;
  }

  int captureLimit() {
    return captureLimit;
  }

  @Override
  public CompletableFuture<ExecutionResult> result() {
    return result.copy();
  }

  @Override
  public void cancel() {
    if (!result.isDone()) {
      session.cancel(this);
    }
  }

  @Override
  public ExecutionResult await() throws SandboxException, InterruptedException {
    try {
      return result.get();
    } catch (ExecutionException e) {
      throw rethrowable(e.getCause());
    }
  }

  void runner(Thread t) {
    runner = t;
  }

  boolean runsOn(Thread t) {
    return runner == t;
  }

  boolean done() {
    return result.isDone();
  }

  /** The result, or for a failed sandbox the mapped failure with the partial output (one-shot runs). */
  public ExecutionResult raw() {
    return raw;
  }

  void complete(ExecutionResult r, ExecutionResult rawView) {
    raw = rawView;
    result.complete(r);
  }

  void fail(SandboxException e, ExecutionResult rawView) {
    raw = rawView;
    result.completeExceptionally(e);
  }

  /** A fresh exception for this caller's stack (the stored one is shared). */
  private static SandboxException rethrowable(Throwable t) {
    if (t instanceof SandboxClosedException c) {
      return new SandboxClosedException(c.reason(), c.getMessage(), c.detail());
    }
    if (t instanceof SandboxException s) {
      return new SandboxException(s.phase(), s.getMessage(), s.detail(), s);
    }
    return new SandboxException(FailurePhase.POST_LAUNCH_FAILED, "internal error: " + t,
        "this is a sandboxkit bug; please report it with the log", t);
  }

  @Override
  public String toString() {
    return "Execution[" + spec.execId() + (result.isDone() ? ", done]" : ", running]");
  }
}
