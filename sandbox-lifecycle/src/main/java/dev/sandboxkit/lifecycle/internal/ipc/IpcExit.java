package dev.sandboxkit.lifecycle.internal.ipc;

import java.util.Objects;

/**
 * The Exit frame payload ({@code {"exit_code":i32,"error_message":str}}).
 *
 * @param exitCode the command's exit code (-1 for infrastructure failures)
 * @param errorMessage empty on success
 */
public record IpcExit(int exitCode, String errorMessage) {
  public IpcExit {
    Objects.requireNonNull(errorMessage, "errorMessage");
  }
}
