package dev.sandboxkit.guest.job;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A job on Linux. The agent runs one job at a time, so every descendant of the agent belongs to the
 * current job; with the agent a child subreaper that includes descendants that daemonized.
 */
final class PosixJob implements JobProcess {
  private final Process process;
  private final Subreaper subreaper;

  PosixJob(Process process, Subreaper subreaper) {
    this.process = process;
    this.subreaper = subreaper;
  }

  @Override
  public long pid() {
    return process.pid();
  }

  @Override
  public OutputStream stdin() {
    return process.getOutputStream();
  }

  @Override
  public InputStream stdout() {
    return process.getInputStream();
  }

  @Override
  public InputStream stderr() {
    return process.getErrorStream();
  }

  @Override
  public boolean waitFor(long millis) throws InterruptedException {
    return process.waitFor(millis, TimeUnit.MILLISECONDS);
  }

  @Override
  public int exitCode() {
    return process.exitValue();
  }

  @Override
  public List<Long> killTree(Duration deadline) {
    long end = System.nanoTime() + deadline.toNanos();
    // Through the handle: Process.destroyForcibly() would also close the pipes and lose the output
    // still buffered in them.
    process.toHandle().destroyForcibly();
    while (true) {
      subreaper.reapOrphans(process.pid());
      List<ProcessHandle> alive =
          ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).collect(Collectors.toList());
      if (alive.isEmpty()) {
        return List.of();
      }
      alive.forEach(ProcessHandle::destroyForcibly);
      if (System.nanoTime() - end >= 0) {
        return alive.stream().map(ProcessHandle::pid).collect(Collectors.toList());
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return alive.stream().map(ProcessHandle::pid).collect(Collectors.toList());
      }
    }
  }
}
