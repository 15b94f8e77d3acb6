package dev.sandboxkit.protocol;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A message on the host/guest control channel (protocol version 1).
 *
 * <p>The JSON form is mxc's serde form: internally tagged by {@code "type"}, tag first, then the
 * snake_case fields in the order the records declare them. See {@link ControlJson}.
 *
 * <p>Extensions beyond mxc v1 are negotiated: the guest lists what it supports in {@link
 * Ready#capabilities()} (names in {@link Capabilities}), and the host sends {@link Exec#env()} and
 * {@link Cancel} only to a guest that announced them. An extension field is left out of the JSON
 * when it is empty, so the messages of a plain exchange keep mxc's exact bytes.
 */
public sealed interface ControlMessage
    permits ControlMessage.Ready,
        ControlMessage.Exec,
        ControlMessage.Exit,
        ControlMessage.StreamsReady,
        ControlMessage.Ping,
        ControlMessage.Pong,
        ControlMessage.Cancel {

  /** Largest value of the unsigned 32-bit {@code timeout_ms} field. */
  long MAX_TIMEOUT_MS = 0xFFFF_FFFFL;

  Ready READY = new Ready();
  StreamsReady STREAMS_READY = new StreamsReady();
  Ping PING = new Ping();
  Pong PONG = new Pong();

  /** The value of the {@code "type"} tag. */
  String type();

  /**
   * Guest to host, once, right after the preamble.
   *
   * @param capabilities the extensions the guest supports (see {@link Capabilities}), in the order
   *     it announces them; empty for an mxc guest
   */
  record Ready(List<String> capabilities) implements ControlMessage {
    public Ready {
      capabilities = List.copyOf(capabilities); // also rejects null names
    }

    /** A {@code Ready} that announces nothing (mxc's). */
    public Ready() {
      this(List.of());
    }

    /** Whether the guest announced {@code capability}. */
    public boolean supports(String capability) {
      return capabilities.contains(capability);
    }

    @Override
    public String type() {
      return "Ready";
    }
  }

  /**
   * Host to guest: run one job.
   *
   * @param timeoutMs unsigned 32-bit milliseconds; 0 and {@link #MAX_TIMEOUT_MS} mean "no timeout"
   * @param env environment variables the job gets on top of the guest's base environment, in
   *     insertion order (extension {@link Capabilities#ENV}; empty = mxc's plain {@code Exec}). Names
   *     are non-empty, valid Unicode and hold no {@code =} and no NUL; values hold no NUL.
   */
  record Exec(
      String execId, String scriptCode, String workingDirectory, long timeoutMs, Map<String, String> env)
      implements ControlMessage {
    public Exec {
      Objects.requireNonNull(execId, "execId");
      Objects.requireNonNull(scriptCode, "scriptCode");
      Objects.requireNonNull(workingDirectory, "workingDirectory");
      if (timeoutMs < 0 || timeoutMs > MAX_TIMEOUT_MS) {
        throw new IllegalArgumentException(
            "timeoutMs must be an unsigned 32-bit value (0.." + MAX_TIMEOUT_MS + "), got " + timeoutMs);
      }
      Objects.requireNonNull(env, "env");
      LinkedHashMap<String, String> copy = new LinkedHashMap<>();
      int i = 0;
      for (Map.Entry<String, String> e : env.entrySet()) {
        String problem = envProblem(e.getKey(), e.getValue());
        if (problem != null) {
          throw new IllegalArgumentException("environment variable #" + (i + 1) + " " + problem);
        }
        copy.put(e.getKey(), e.getValue());
        i++;
      }
      env = Collections.unmodifiableMap(copy);
    }

    /** A job without extra environment variables: mxc's plain {@code Exec}. */
    public Exec(String execId, String scriptCode, String workingDirectory, long timeoutMs) {
      this(execId, scriptCode, workingDirectory, timeoutMs, Map.of());
    }

    /**
     * Why {@code name=value} cannot be an environment variable, or null when it can. The message
     * never quotes the value (values may be secrets) and clips the name.
     */
    public static String envProblem(String name, String value) {
      if (name == null || value == null) {
        return "has a null name or value";
      }
      if (name.isEmpty()) {
        return "has an empty name";
      }
      if (name.indexOf('=') >= 0) {
        return "has a name with '=' in it (" + clipName(name) + ")";
      }
      if (name.indexOf('\0') >= 0) {
        return "has a name with a NUL character in it";
      }
      if (hasLoneSurrogate(name)) {
        return "has a name that is not valid Unicode (a lone surrogate)";
      }
      if (value.indexOf('\0') >= 0) {
        return "(" + clipName(name) + ") has a value with a NUL character in it";
      }
      return null;
    }

    private static boolean hasLoneSurrogate(String s) {
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else if (Character.isSurrogate(c)) {
          return true;
        }
      }
      return false;
    }

    private static String clipName(String name) {
      return name.length() <= 64 ? name : name.substring(0, 64) + "...";
    }

    @Override
    public String type() {
      return "Exec";
    }

    /** Redacts the script and the environment: command lines and env values never reach logs. */
    @Override
    public String toString() {
      return "Exec[execId=" + execId + ", scriptCode=<" + scriptCode.length() + " chars>, timeoutMs="
          + timeoutMs + (env.isEmpty() ? "" : ", env=<" + env.size() + " variables>") + "]";
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

  /**
   * Host to guest (extension {@link Capabilities#CANCEL}): kill the job {@code execId} and its whole
   * process tree. The guest answers with {@code Exit(execId, -1, "cancelled by the host")} and {@code
   * StreamsReady} as after any job; a {@code Cancel} for a job that is not running is ignored.
   */
  record Cancel(String execId) implements ControlMessage {
    /** The {@code error_message} of the {@code Exit} (code -1) that reports a cancelled job. */
    public static final String EXIT_MESSAGE = "cancelled by the host";

    public Cancel {
      Objects.requireNonNull(execId, "execId");
    }

    @Override
    public String type() {
      return "Cancel";
    }
  }
}
