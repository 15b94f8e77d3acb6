package dev.sandboxkit.lifecycle;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One command to run in a fresh sandbox. Build with {@link #builder(String)}.
 *
 * @param commandLine the command, run by the guest's shell ({@code /bin/sh -c} on Linux, {@code
 *     cmd.exe /C} on Windows)
 * @param workingDirectory the directory inside the sandbox; empty = the guest's default
 * @param timeout how long the command may run; empty = no timeout
 * @param stdin the command's standard input; empty = end of file at once
 * @param policy what the sandbox may see and reach
 * @param stdout where to stream standard output live; empty = capture it (capped at 64 MiB)
 * @param stderr where to stream standard error live; empty = capture it (capped at 64 MiB)
 */
public record ExecutionRequest(
    String commandLine,
    String workingDirectory,
    Optional<Duration> timeout,
    Optional<InputStream> stdin,
    SandboxPolicy policy,
    Optional<OutputStream> stdout,
    Optional<OutputStream> stderr) {

  /** The largest finite timeout the wire can carry: 2^32 - 2 ms (2^32 - 1 means "none"). */
  public static final Duration MAX_TIMEOUT = Duration.ofMillis(0xFFFF_FFFEL);

  public ExecutionRequest {
    Objects.requireNonNull(commandLine, "commandLine");
    if (commandLine.isBlank()) {
      throw new IllegalArgumentException("the command line is empty");
    }
    if (commandLine.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("the command line must not contain NUL characters");
    }
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
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(stdout, "stdout");
    Objects.requireNonNull(stderr, "stderr");
  }

  /** Starts a request for {@code commandLine} with no timeout, no stdin and the default policy. */
  public static Builder builder(String commandLine) {
    return new Builder(commandLine);
  }

  /** The wire form of the timeout: unsigned 32-bit milliseconds, 0 = none. */
  public long timeoutMillisOnWire() {
    return timeout.map(Duration::toMillis).orElse(0L);
  }

  /** Redacts the command line: it must never reach logs. */
  @Override
  public String toString() {
    return "ExecutionRequest[commandLine=<" + commandLine.length() + " chars>, timeout="
        + timeout.map(Duration::toString).orElse("none") + ", policy=" + policy + "]";
  }

  /** Builder for {@link ExecutionRequest}. */
  public static final class Builder {
    private final String commandLine;
    private String workingDirectory = "";
    private Duration timeout;
    private InputStream stdin;
    private SandboxPolicy policy = SandboxPolicy.DEFAULT;
    private OutputStream stdout;
    private OutputStream stderr;

    private Builder(String commandLine) {
      this.commandLine = commandLine;
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

    public Builder policy(SandboxPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
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

    public ExecutionRequest build() {
      return new ExecutionRequest(
          commandLine,
          workingDirectory,
          Optional.ofNullable(timeout),
          Optional.ofNullable(stdin),
          policy,
          Optional.ofNullable(stdout),
          Optional.ofNullable(stderr));
    }
  }
}
