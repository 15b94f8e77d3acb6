package dev.sandboxkit.guest;

import dev.sandboxkit.guest.job.JobLauncher;
import dev.sandboxkit.guest.job.JobProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A {@link JobLauncher} that remembers the job it started last, so the lifeline can kill the running
 * job's whole tree from its own thread, and that refuses to start anything once {@link #shutdown}
 * ran (no job can slip in between the kill and the agent's exit).
 */
final class JobGuard implements JobLauncher {
  private final JobLauncher delegate;
  private JobProcess current;
  private boolean closed;

  JobGuard(JobLauncher delegate) {
    this.delegate = delegate;
  }

  @Override
  public synchronized JobProcess start(
      String scriptCode, Path workingDirectory, Map<String, String> environment) throws IOException {
    if (closed) {
      throw new IOException("the agent is shutting down: the host's lifeline closed");
    }
    JobProcess p = delegate.start(scriptCode, workingDirectory, environment);
    current = p;
    return p;
  }

  @Override
  public boolean appliesEnvironment() {
    return delegate.appliesEnvironment();
  }

  /**
   * Refuses further jobs and kills the last job's whole tree (a no-op for a tree already gone).
   *
   * @return the pids still alive when {@code deadline} ran out (empty: verified gone, or no job)
   */
  List<Long> shutdown(Duration deadline) {
    JobProcess p;
    synchronized (this) {
      closed = true;
      p = current;
    }
    return p == null ? List.of() : p.killTree(deadline);
  }
}
