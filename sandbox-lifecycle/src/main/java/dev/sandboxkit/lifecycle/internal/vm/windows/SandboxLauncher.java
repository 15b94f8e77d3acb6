package dev.sandboxkit.lifecycle.internal.vm.windows;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code <System32>\WindowsSandbox.exe <wsb>} and waits for the launcher to exit. */
@FunctionalInterface
interface SandboxLauncher {
  /** How long the launcher may take to hand the VM over and exit. */
  Duration EXIT_WAIT = Duration.ofSeconds(120);

  /**
   * @return the launcher's exit code
   * @throws IOException when it cannot be started or does not exit within {@link #EXIT_WAIT}
   */
  int launch(Path exe, Path wsb) throws IOException;

  /** The command line: the absolute trusted executable, then the configuration file. */
  static List<String> command(Path exe, Path wsb) {
    if (!exe.isAbsolute()) {
      throw new IllegalArgumentException("the Windows Sandbox launcher path must be absolute: " + exe);
    }
    return List.of(exe.toString(), wsb.toAbsolutePath().toString());
  }

  /** A {@link ProcessBuilder} launcher (output discarded; the VM logs to bootstrap.log). */
  static SandboxLauncher processBuilder() {
    return (exe, wsb) -> {
      Process p = new ProcessBuilder(command(exe, wsb))
          .redirectInput(ProcessBuilder.Redirect.PIPE)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      p.getOutputStream().close();
      try {
        if (!p.waitFor(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
          throw new IOException(exe.getFileName() + " did not exit within " + EXIT_WAIT.toSeconds() + " s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted while waiting for " + exe.getFileName());
      }
      return p.exitValue();
    };
  }
}
