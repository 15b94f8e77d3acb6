package dev.sandboxkit.guest.job;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** Starts jobs the way the platform's sandbox expects: {@code /bin/sh -c} or {@code cmd.exe /C}. */
public interface JobLauncher {
  /**
   * Starts {@code scriptCode} with the agent's own environment overlaid by {@code environment}.
   *
   * @param workingDirectory an existing directory, or {@code null} for the agent's own
   * @param environment variables to set on top of the agent's environment (names and values already
   *     checked by the protocol: no {@code =} or NUL in names, no NUL in values); a launcher that
   *     does not {@linkplain #appliesEnvironment() apply them} refuses a non-empty map
   * @throws IOException when the process cannot be created (the message says why, not the script
   *     and no variable's value)
   */
  JobProcess start(String scriptCode, Path workingDirectory, Map<String, String> environment)
      throws IOException;

  /** Starts {@code scriptCode} with the agent's own environment. */
  default JobProcess start(String scriptCode, Path workingDirectory) throws IOException {
    return start(scriptCode, workingDirectory, Map.of());
  }

  /**
   * Whether {@link #start} applies a job's environment variables; the agent announces the {@code
   * env} capability only then, so a host never has variables silently dropped.
   */
  default boolean appliesEnvironment() {
    return false;
  }

  /**
   * The launcher for the running OS. On Windows every job gets the job-object limits of {@link
   * JobLimits#fromProperties}. On Linux this also makes the agent a child subreaper (on a
   * background thread; the first job waits for it).
   */
  static JobLauncher forCurrentOs() {
    return forCurrentOs(() -> {});
  }

  /**
   * As {@link #forCurrentOs()}; on POSIX {@code warmUp} (the layers above: the executor's pumps)
   * runs last on the same background thread, so this package does not reach up to them.
   */
  static JobLauncher forCurrentOs(Runnable warmUp) {
    if (System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows")) {
      return WindowsJobLauncher.withLimits(System::getProperty);
    }
    return PosixJobLauncher.withBackgroundSubreaper(warmUp);
  }
}
