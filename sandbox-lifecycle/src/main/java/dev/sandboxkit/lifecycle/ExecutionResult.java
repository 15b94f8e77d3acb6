package dev.sandboxkit.lifecycle;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * How a run ended.
 *
 * @param exitCode the command's exit code; -1 when it did not report one (timeout, failure)
 * @param stdout captured standard output (empty when the caller streamed it), at most 64 MiB
 * @param stderr captured standard error (empty when the caller streamed it), at most 64 MiB
 * @param errorMessage one-line summary of what went wrong; empty on success
 * @param extendedError developer detail (cause, remedy, reclaim notes); may be empty
 * @param failurePhase where the run stopped
 */
public record ExecutionResult(
    int exitCode,
    byte[] stdout,
    byte[] stderr,
    String errorMessage,
    String extendedError,
    FailurePhase failurePhase) {

  public ExecutionResult {
    stdout = stdout == null ? new byte[0] : stdout;
    stderr = stderr == null ? new byte[0] : stderr;
    errorMessage = errorMessage == null ? "" : errorMessage;
    extendedError = extendedError == null ? "" : extendedError;
    Objects.requireNonNull(failurePhase, "failurePhase");
  }

  /** A failure before or around the command: exit -1, no output. */
  public static ExecutionResult failure(SandboxException e) {
    return new ExecutionResult(-1, null, null, e.getMessage(), e.detail(), e.phase());
  }

  /** True when the command ran and exited 0. */
  public boolean succeeded() {
    return failurePhase == FailurePhase.NONE && exitCode == 0;
  }

  /** Captured stdout decoded as UTF-8 (malformed bytes replaced). */
  public String stdoutText() {
    return new String(stdout, StandardCharsets.UTF_8);
  }

  /** Captured stderr decoded as UTF-8 (malformed bytes replaced). */
  public String stderrText() {
    return new String(stderr, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "ExecutionResult[exitCode=" + exitCode + ", stdout=" + stdout.length + " bytes, stderr="
        + stderr.length + " bytes, failurePhase=" + failurePhase + ", errorMessage=" + errorMessage + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ExecutionResult r
        && exitCode == r.exitCode
        && java.util.Arrays.equals(stdout, r.stdout)
        && java.util.Arrays.equals(stderr, r.stderr)
        && errorMessage.equals(r.errorMessage)
        && extendedError.equals(r.extendedError)
        && failurePhase == r.failurePhase;
  }

  @Override
  public int hashCode() {
    return Objects.hash(exitCode, java.util.Arrays.hashCode(stdout), java.util.Arrays.hashCode(stderr),
        errorMessage, extendedError, failurePhase);
  }
}
