package dev.sandboxkit.lifecycle.internal.ipc;

import java.util.Objects;

/**
 * The ExecStart request ({@code {"script_code":str,"working_directory":str,"timeout_ms":u32}}).
 *
 * @param scriptCode the command line
 * @param workingDirectory the guest cwd; empty = guest default
 * @param timeoutMs unsigned 32-bit timeout in ms (0..4294967295)
 */
public record ExecStart(String scriptCode, String workingDirectory, long timeoutMs) {
  public ExecStart {
    Objects.requireNonNull(scriptCode, "scriptCode");
    Objects.requireNonNull(workingDirectory, "workingDirectory");
    if (timeoutMs < 0 || timeoutMs > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("timeout_ms " + timeoutMs + " is out of range 0..4294967295");
    }
  }

  @Override
  public String toString() {
    return "ExecStart[script " + scriptCode.length() + " chars, timeoutMs=" + timeoutMs + "]";
  }
}
