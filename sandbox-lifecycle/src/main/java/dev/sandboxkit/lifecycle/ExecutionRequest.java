package dev.sandboxkit.lifecycle;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One command to run in a sandbox. Build with {@link #builder(String)} or {@link
 * #builder(Command)}. What the sandbox may see and reach is the sandbox's {@link SandboxPolicy},
 * not the request's.
 *
 * @param command what to run: a shell command line or an argument list
 * @param environment variables set for the command on top of the guest's base environment
 *     (insertion order kept); needs a guest that announced the {@code env} capability
 * @param workingDirectory the directory inside the sandbox; empty = the guest's default
 * @param timeout how long the command may run; empty = no timeout
 * @param stdin the command's standard input; empty = end of file at once
 * @param stdout where to stream standard output live; empty = capture it (capped)
 * @param stderr where to stream standard error live; empty = capture it (capped)
 * @param captureLimit the cap, in bytes, of each captured stream (default 64 MiB)
 */
public record ExecutionRequest(
    Command command,
    Map<String, String> environment,
    String workingDirectory,
    Optional<Duration> timeout,
    Optional<InputStream> stdin,
    Optional<OutputStream> stdout,
    Optional<OutputStream> stderr,
    int captureLimit) {

  /** The largest finite timeout the wire can carry: 2^32 - 2 ms (2^32 - 1 means "none"). */
  public static final Duration MAX_TIMEOUT = Duration.ofMillis(0xFFFF_FFFEL);
  /** The default cap of a captured stream: 64 MiB. */
  public static final int DEFAULT_CAPTURE_LIMIT = 64 * 1024 * 1024;
  /** The largest cap a captured stream can have (the largest Java array). */
  public static final int MAX_CAPTURE_LIMIT = Integer.MAX_VALUE - 8;

  public ExecutionRequest {
    Objects.requireNonNull(command, "command");
    environment = copyEnvironment(environment);
    Objects.requireNonNull(workingDirectory, "workingDirectory");
    if (workingDirectory.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("the working directory must not contain NUL characters");
    }
    Objects.requireNonNull(timeout, "timeout");
    timeout.ifPresent(
        t -> {
          if (t.isNegative() || t.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + t);
          }
          if (t.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException(
                "timeout " + t + " exceeds the maximum of " + MAX_TIMEOUT.toMillis() + " ms");
          }
        });
    Objects.requireNonNull(stdin, "stdin");
    Objects.requireNonNull(stdout, "stdout");
    Objects.requireNonNull(stderr, "stderr");
    if (captureLimit < 0 || captureLimit > MAX_CAPTURE_LIMIT) {
      throw new IllegalArgumentException(
          "captureLimit must be 0.." + MAX_CAPTURE_LIMIT + " bytes, got " + captureLimit);
    }
  }

  private static Map<String, String> copyEnvironment(Map<String, String> env) {
    Objects.requireNonNull(env, "environment");
    Map<String, String> copy = new LinkedHashMap<>();
    env.forEach((k, v) -> {
      Objects.requireNonNull(k, "environment name");
      Objects.requireNonNull(v, "environment value");
      if (k.isEmpty() || k.indexOf('=') >= 0 || k.indexOf('\0') >= 0) {
        throw new IllegalArgumentException(
            "invalid environment variable name (empty, or contains '=' or NUL): <" + k.length() + " chars>");
      }
      if (v.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("the value of environment variable " + k + " contains a NUL character");
      }
      copy.put(k, v);
    });
    return Collections.unmodifiableMap(copy);
  }

  /** A request for the shell command line {@code commandLine} ({@link Command#shell}). */
  public static Builder builder(String commandLine) {
    return new Builder(Command.shell(commandLine));
  }

  /** A request for {@code command}: no environment, no timeout, no stdin, output captured. */
  public static Builder builder(Command command) {
    return new Builder(Objects.requireNonNull(command, "command"));
  }

  /** The wire form of the timeout: unsigned 32-bit milliseconds, 0 = none. */
  public long timeoutMillisOnWire() {
    return timeout.map(Duration::toMillis).orElse(0L);
  }

  /** Redacts the command and the environment values: they must never reach logs. */
  @Override
  public String toString() {
    return "ExecutionRequest[command=" + command + ", environment=" + environment.keySet() + ", timeout="
        + timeout.map(Duration::toString).orElse("none") + "]";
  }

  /** Builder for {@link ExecutionRequest}. */
  public static final class Builder {
    private final Command command;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private String workingDirectory = "";
    private Duration timeout;
    private InputStream stdin;
    private OutputStream stdout;
    private OutputStream stderr;
    private int captureLimit = DEFAULT_CAPTURE_LIMIT;

    private Builder(Command command) {
      this.command = command;
    }

    /** Sets one environment variable (a later call for the same name replaces the value). */
    public Builder env(String name, String value) {
      environment.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** Adds every variable of {@code env}, in its iteration order. */
    public Builder environment(Map<String, String> env) {
      Objects.requireNonNull(env, "env").forEach(this::env);
      return this;
    }

    public Builder workingDirectory(String dir) {
      this.workingDirectory = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /** {@code null} = no timeout. */
    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    public Builder stdin(byte[] bytes) {
      this.stdin = bytes == null ? null : new ByteArrayInputStream(bytes.clone());
      return this;
    }

    /** The stream is read on a background thread until end of file, then closed. */
    public Builder stdin(InputStream in) {
      this.stdin = in;
      return this;
    }

    /** Streams stdout live to {@code out} (not closed by the runner) instead of capturing it. */
    public Builder stdout(OutputStream out) {
      this.stdout = out;
      return this;
    }

    /** Streams stderr live to {@code err} (not closed by the runner) instead of capturing it. */
    public Builder stderr(OutputStream err) {
      this.stderr = err;
      return this;
    }

    /** The cap of each captured stream, in bytes (default 64 MiB); the rest is dropped and noted. */
    public Builder captureLimit(int bytes) {
      this.captureLimit = bytes;
      return this;
    }

    public ExecutionRequest build() {
      return new ExecutionRequest(
          command,
          environment,
          workingDirectory,
          Optional.ofNullable(timeout),
          Optional.ofNullable(stdin),
          Optional.ofNullable(stdout),
          Optional.ofNullable(stderr),
          captureLimit);
    }
  }
}
