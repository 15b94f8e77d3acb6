package dev.sandboxkit.guest.job;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;

/** One running job: its main process, its three pipes, and its whole process tree. */
public interface JobProcess {
  /** Process id of the job's main process (the shell). */
  long pid();

  /** The job's standard input; closing it gives the job end of file. */
  OutputStream stdin();

  /** The job's standard output. */
  InputStream stdout();

  /** The job's standard error. */
  InputStream stderr();

  /**
   * Waits up to {@code millis} for the main process to exit.
   *
   * @return true when it has exited
   */
  boolean waitFor(long millis) throws InterruptedException;

  /** Exit code of the main process; only valid once {@link #waitFor} returned true. */
  int exitCode();

  /**
   * Kills the main process and every descendant, including ones that daemonized, and checks that
   * they are gone.
   *
   * @return the process ids still alive when {@code deadline} ran out (empty: verified gone)
   */
  List<Long> killTree(Duration deadline);
}
