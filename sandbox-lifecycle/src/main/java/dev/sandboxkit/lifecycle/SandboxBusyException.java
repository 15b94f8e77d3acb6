package dev.sandboxkit.lifecycle;

/**
 * Another execution is running in this sandbox. The rule: one execution at a time (protocol v1
 * runs one job at a time); a second caller fails fast with this exception, it never waits, so two
 * executions' outputs can never mix. Phase {@link FailurePhase#REJECTED}; retry once the running
 * execution has ended.
 */
public final class SandboxBusyException extends SandboxException {
  private static final long serialVersionUID = 1L;

  public SandboxBusyException(String sandboxId, String runningExecutionId) {
    super(FailurePhase.REJECTED, "sandbox " + sandboxId + " is busy with execution " + runningExecutionId,
        "one execution runs at a time in a sandbox; wait for it to end (Execution.await()) and retry,"
            + " or start another sandbox");
  }
}
