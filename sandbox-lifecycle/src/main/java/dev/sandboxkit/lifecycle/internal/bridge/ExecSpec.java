package dev.sandboxkit.lifecycle.internal.bridge;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.Objects;

/**
 * What one {@link ExecCall} runs.
 *
 * @param execId the exec id on the wire
 * @param script the guest shell's script (already quoted for the guest platform)
 * @param cwd the working directory; "" = the guest's default
 * @param timeoutMs wire timeout: unsigned 32-bit ms, 0 = none
 * @param env variables to set (empty: the Exec carries none, byte-compatible with mxc)
 * @param stdin the command's input, or null for immediate EOF
 * @param stdout the caller's stream, or null to capture
 * @param stderr the caller's stream, or null to capture
 */
public record ExecSpec(String execId, String script, String cwd, long timeoutMs, Map<String, String> env,
    InputStream stdin, OutputStream stdout, OutputStream stderr) {
  public ExecSpec {
    Objects.requireNonNull(execId, "execId");
    Objects.requireNonNull(script, "script");
    Objects.requireNonNull(cwd, "cwd");
    Objects.requireNonNull(env, "env");
  }

  /** Redacted: the script and the environment values never reach logs. */
  @Override
  public String toString() {
    return "ExecSpec[execId=" + execId + ", script=<" + script.length() + " chars>, env=" + env.keySet() + "]";
  }
}
