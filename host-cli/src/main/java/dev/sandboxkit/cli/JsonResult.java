package dev.sandboxkit.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sandboxkit.lifecycle.ExecutionResult;
import dev.sandboxkit.lifecycle.FailurePhase;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The {@code run --json} and {@code exec --json} output: one JSON object on one line, in mxc's {@code ScriptResponse}
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
 *       replaced), each cut at {@code --json-limit} (default 64 MiB), streamed from its
 *       bounded capture ({@link #write}): the host holds at most the limit per stream, never a copy.
 *   <li>{@code error_message} (string): one-line summary of what failed; "" on success.
 *   <li>{@code extended_error} (string): developer detail (reason, remedy, reclaim notes); may be "".
 *   <li>{@code failure_phase} (string): {@code None}, {@code Rejected}, {@code LaunchFailed},
 *       {@code PostLaunchFailed}, {@code ProcessExited}, {@code Timeout} or {@code Cancelled}.
 *   <li>{@code stdout_truncated}, {@code stderr_truncated} (boolean): that stream
 *       was longer than the limit and was cut; with {@code --fail-on-truncation} the exit code is
 *       {@value ExitCodes#OUTPUT_TRUNCATED} and {@code error_message} says so.
 * </ul>
 */
final class JsonResult {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonResult() {}

  /**
   * Writes the result of {@code run --json} or {@code exec --json} to {@code w} without building it in memory: the captured
   * streams are decoded and escaped as they are copied out of their captures.
   *
   * @param r the run's result (its own stdout/stderr are empty: the captures hold them)
   * @param errorMessage the {@code error_message} to print (the result's, or the truncation error)
   */
  static void write(Writer w, ExecutionResult r, String errorMessage, BoundedCapture stdout,
      BoundedCapture stderr) throws IOException {
    try (JsonGenerator g = MAPPER.getFactory().createGenerator(w)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      g.writeStartObject();
      g.writeNumberField("exit_code", r.exitCode());
      g.writeFieldName("stdout");
      writeText(g, stdout.read());
      g.writeFieldName("stderr");
      writeText(g, stderr.read());
      g.writeStringField("error_message", errorMessage);
      g.writeStringField("extended_error", r.extendedError());
      g.writeStringField("failure_phase", phaseName(r.failurePhase()));
      g.writeBooleanField("stdout_truncated", stdout.truncated());
      g.writeBooleanField("stderr_truncated", stderr.truncated());
      g.writeEndObject();
    }
  }

  private static void writeText(JsonGenerator g, InputStream bytes) throws IOException {
    Reader text = new InputStreamReader(bytes, StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE));
    g.writeString(text, -1);
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
