package dev.sandboxkit.guest.job;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Linux and other POSIX systems: {@code /bin/sh -c <script_code>}. */
final class PosixJobLauncher implements JobLauncher {
  static final String SHELL = "/bin/sh";

  private final Subreaper subreaper;

  PosixJobLauncher(Subreaper subreaper) {
    this.subreaper = subreaper;
  }

  /** The argument vector for a script (pure, for tests). */
  static List<String> command(String scriptCode) {
    return List.of(SHELL, "-c", scriptCode);
  }

  @Override
  public JobProcess start(String scriptCode, Path workingDirectory) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command(scriptCode));
    if (workingDirectory != null) {
      pb.directory(workingDirectory.toFile());
    }
    return new PosixJob(pb.start(), subreaper);
  }
}
