package dev.sandboxkit.guest.firewall;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs one netsh argument list and returns its exit code. The real one starts the process. */
@FunctionalInterface
interface Netsh {
  long TIMEOUT_SECONDS = 30;

  /**
   * @return the exit code
   * @throws IOException when it cannot be started or does not finish within {@link #TIMEOUT_SECONDS}
   */
  int run(List<String> command) throws IOException, InterruptedException;

  /** {@code netsh.exe} through a {@link ProcessBuilder}; output discarded, killed on timeout. */
  Netsh PROCESS = command -> {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        throw new IOException("did not finish within " + TIMEOUT_SECONDS + " s");
      }
      return p.exitValue();
    } finally {
      p.destroyForcibly();
    }
  };
}
