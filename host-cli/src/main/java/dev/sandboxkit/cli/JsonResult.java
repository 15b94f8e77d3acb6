package dev.sandboxkit.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sandboxkit.lifecycle.ExecutionResult;
import dev.sandboxkit.lifecycle.FailurePhase;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code run --json} output: one JSON object on one line, in mxc's {@code ScriptResponse}
 * naming (snake_case keys, PascalCase phase names).
 *
 * <pre>
 * {"exit_code":0,"stdout":"hello\n","stderr":"","error_message":"","extended_error":"","failure_phase":"None"}
 * </pre>
 *
 * <ul>
 *   <li>{@code exit_code} (int): the command's exit code; -1 when it reported none (sandboxkit
 *       failure, timeout). The process exit code follows the usual table (124/125/126).
 *   <li>{@code stdout}, {@code stderr} (string): the captured output, UTF-8 (invalid bytes
 *       replaced), each capped at 64 MiB by the runner.
 *   <li>{@code error_message} (string): one-line summary of what failed; "" on success.
 *   <li>{@code extended_error} (string): developer detail (reason, remedy, reclaim notes); may be "".
 *   <li>{@code failure_phase} (string): {@code None}, {@code Rejected}, {@code LaunchFailed},
 *       {@code PostLaunchFailed}, {@code ProcessExited} or {@code Timeout}.
 * </ul>
 */
final class JsonResult {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonResult() {}

  static String of(ExecutionResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("exit_code", r.exitCode());
    m.put("stdout", r.stdoutText());
    m.put("stderr", r.stderrText());
    m.put("error_message", r.errorMessage());
    m.put("extended_error", r.extendedError());
    m.put("failure_phase", phaseName(r.failurePhase()));
    try {
      return MAPPER.writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the JSON result", e);
    }
  }

  /** mxc's serde names. */
  static String phaseName(FailurePhase p) {
    return switch (p) {
      case NONE -> "None";
      case REJECTED -> "Rejected";
      case LAUNCH_FAILED -> "LaunchFailed";
      case POST_LAUNCH_FAILED -> "PostLaunchFailed";
      case PROCESS_EXITED -> "ProcessExited";
      case TIMED_OUT -> "Timeout";
      case CANCELLED -> "Cancelled";
    };
  }
}
