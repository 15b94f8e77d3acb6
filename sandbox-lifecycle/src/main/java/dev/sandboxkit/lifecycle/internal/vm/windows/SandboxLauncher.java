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
   * @throws TimedOut when it did not exit within {@link #EXIT_WAIT} (it has been destroyed)
   * @throws IOException when it cannot be started
   */
  int launch(Path exe, Path wsb) throws IOException;

  /** The launcher did not exit in time (or the wait was interrupted); it was destroyed. */
  final class TimedOut extends IOException {
    private static final long serialVersionUID = 1L;

    TimedOut(String message) {
      super(message);
    }
  }

  /** The command line: the absolute trusted executable, then the configuration file. */
  static List<String> command(Path exe, Path wsb) {
    if (!exe.isAbsolute()) {
      throw new IllegalArgumentException("the Windows Sandbox launcher path must be absolute: " + exe);
    }
    return List.of(exe.toString(), wsb.toAbsolutePath().toString());
  }

  /** A {@link ProcessBuilder} launcher (output discarded; the VM logs to bootstrap.log). */
  static SandboxLauncher processBuilder() {
    return processBuilder(EXIT_WAIT);
  }

  /** As {@link #processBuilder()}, waiting {@code exitWait}; the launcher is destroyed when that runs out. */
  static SandboxLauncher processBuilder(Duration exitWait) {
    return (exe, wsb) -> {
      Process p = new ProcessBuilder(command(exe, wsb))
          .redirectInput(ProcessBuilder.Redirect.PIPE)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      p.getOutputStream().close();
      try {
        if (!p.waitFor(exitWait.toMillis(), TimeUnit.MILLISECONDS)) {
          destroy(p);
          throw new TimedOut(exe.getFileName() + " did not exit within " + exitWait.toSeconds() + " s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        destroy(p);
        throw new TimedOut("interrupted while waiting for " + exe.getFileName());
      }
      return p.exitValue();
    };
  }

  /** Kills the launcher and waits (bounded) until it is gone, so it never outlives the run. */
  private static void destroy(Process p) {
    p.destroyForcibly();
    try {
      p.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
