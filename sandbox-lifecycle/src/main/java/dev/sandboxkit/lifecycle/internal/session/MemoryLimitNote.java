package dev.sandboxkit.lifecycle.internal.session;

import dev.sandboxkit.lifecycle.ExecutionResult;
import dev.sandboxkit.lifecycle.FailurePhase;
import dev.sandboxkit.lifecycle.ResourceLimits;

/**
 * Says so when the sandbox's memory limit killed something during an execution (pure): a command
 * that died of it gets a message naming the limit, and the extended error what to do; a command
 * that survived (a child was killed) keeps its result with the note in the extended error.
 */
public final class MemoryLimitNote {
  /** What to do, in the extended error. */
  public static final String FIX = "raise the limit (run/start --memory, SandboxPolicy.Builder.memoryLimit) or make"
      + " the command use less memory";

  /** How the error message of a command killed at the limit starts. */
  public static final String KILLED = "the command was killed: the sandbox's memory limit of ";

  private MemoryLimitNote() {}

  /** Whether {@code r} is a command the memory limit killed (as {@link #apply} marks it). */
  public static boolean killed(ExecutionResult r) {
    return r.failurePhase() == FailurePhase.PROCESS_EXITED && r.errorMessage().startsWith(KILLED);
  }

  /** 256 MiB, 1 GiB, 1536 MiB, else bytes. */
  static String size(long bytes) {
    if (bytes % (1L << 30) == 0) {
      return (bytes >> 30) + " GiB";
    }
    if (bytes % (1L << 20) == 0) {
      return (bytes >> 20) + " MiB";
    }
    return bytes + " bytes";
  }

  /**
   * {@code r} explained when {@code kills} processes were killed at {@code limits}' memory limit
   * during the execution; {@code r} itself when none were.
   */
  public static ExecutionResult apply(ExecutionResult r, long kills, ResourceLimits limits) {
    if (kills <= 0 || limits.memoryBytes() == 0) {
      return r;
    }
    String what = "the sandbox's memory limit of " + size(limits.memoryBytes()) + " was reached: the"
        + " kernel killed " + kills + " process" + (kills == 1 ? "" : "es") + " of the sandbox";
    if (r.failurePhase() == FailurePhase.PROCESS_EXITED) {
      return new ExecutionResult(r.exitCode(), r.stdout(), r.stderr(), "the command was killed: " + what,
          ResultMapper.join(FIX, r.extendedError()), r.failurePhase());
    }
    return new ExecutionResult(r.exitCode(), r.stdout(), r.stderr(), r.errorMessage(),
        ResultMapper.join(r.extendedError(), what + "; " + FIX), r.failurePhase());
  }
}
