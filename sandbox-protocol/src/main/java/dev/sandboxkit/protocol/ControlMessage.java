package dev.sandboxkit.protocol;

import java.util.Objects;

/**
 * A message on the host/guest control channel (protocol version 1).
 *
 * <p>The JSON form is mxc's serde form: internally tagged by {@code "type"}, tag first, then the
 * snake_case fields in the order the records declare them. See {@link ControlJson}.
 */
public sealed interface ControlMessage
    permits ControlMessage.Ready,
        ControlMessage.Exec,
        ControlMessage.Exit,
        ControlMessage.StreamsReady,
        ControlMessage.Ping,
        ControlMessage.Pong {

  /** Largest value of the unsigned 32-bit {@code timeout_ms} field. */
  long MAX_TIMEOUT_MS = 0xFFFF_FFFFL;

  Ready READY = new Ready();
  StreamsReady STREAMS_READY = new StreamsReady();
  Ping PING = new Ping();
  Pong PONG = new Pong();

  /** The value of the {@code "type"} tag. */
  String type();

  /** Guest to host, once, right after the preamble. */
  record Ready() implements ControlMessage {
    @Override
    public String type() {
      return "Ready";
    }
  }

  /**
   * Host to guest: run one job.
   *
   * @param timeoutMs unsigned 32-bit milliseconds; 0 and {@link #MAX_TIMEOUT_MS} mean "no timeout"
   */
  record Exec(String execId, String scriptCode, String workingDirectory, long timeoutMs)
      implements ControlMessage {
    public Exec {
      Objects.requireNonNull(execId, "execId");
      Objects.requireNonNull(scriptCode, "scriptCode");
      Objects.requireNonNull(workingDirectory, "workingDirectory");
      if (timeoutMs < 0 || timeoutMs > MAX_TIMEOUT_MS) {
        throw new IllegalArgumentException(
            "timeoutMs must be an unsigned 32-bit value (0.." + MAX_TIMEOUT_MS + "), got " + timeoutMs);
      }
    }

    @Override
    public String type() {
      return "Exec";
    }

    /** Redacts the script: command lines never reach logs. */
    @Override
    public String toString() {
      return "Exec[execId=" + execId + ", scriptCode=<" + scriptCode.length() + " chars>, timeoutMs="
          + timeoutMs + "]";
    }
  }

  /** Guest to host: the job ended. Negative exit codes mean an error or a timeout. */
  record Exit(String execId, int exitCode, String errorMessage) implements ControlMessage {
    public Exit {
      Objects.requireNonNull(execId, "execId");
      Objects.requireNonNull(errorMessage, "errorMessage");
    }

    @Override
    public String type() {
      return "Exit";
    }
  }

  /** Guest to host after each Exit: the listener accepts three fresh data channels. */
  record StreamsReady() implements ControlMessage {
    @Override
    public String type() {
      return "StreamsReady";
    }
  }

  /** Keepalive request, either direction. */
  record Ping() implements ControlMessage {
    @Override
    public String type() {
      return "Ping";
    }
  }

  /** Keepalive answer, either direction. */
  record Pong() implements ControlMessage {
    @Override
    public String type() {
      return "Pong";
    }
  }
}
