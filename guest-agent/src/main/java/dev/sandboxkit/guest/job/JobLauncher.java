package dev.sandboxkit.guest.job;

import java.io.IOException;
import java.nio.file.Path;

/** Starts jobs the way the platform's sandbox expects: {@code /bin/sh -c} or {@code cmd.exe /C}. */
public interface JobLauncher {
  /**
   * Starts {@code scriptCode}.
   *
   * @param workingDirectory an existing directory, or {@code null} for the agent's own
   * @throws IOException when the process cannot be created (the message says why, not the script)
   */
  JobProcess start(String scriptCode, Path workingDirectory) throws IOException;

  /**
   * The launcher for the running OS. On Linux this also makes the agent a child subreaper (on a
   * background thread; the first job waits for it).
   */
  static JobLauncher forCurrentOs() {
    if (System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows")) {
      return new WindowsJobLauncher();
    }
    return PosixJobLauncher.withBackgroundSubreaper();
  }
}
