package dev.sandboxkit.guest.job;

/**
 * Initializes the JDK's process-start machinery off the critical path, on the background start-up
 * thread of {@link PosixJobLauncher}: the platform launcher ({@code java.lang.ProcessImpl}: launch
 * mechanism, helper path, native set-up), the environment copy and {@link ProcessHandle} (its
 * reaper thread pool and the lambdas behind it). Otherwise the first job's start pays for them
 * while the host waits. Starts no process.
 */
final class ProcessStartWarmup {
  private static final System.Logger LOG = System.getLogger(ProcessStartWarmup.class.getName());
  /** The JDK's platform launcher, loaded by name (ProcessStartWarmupTest fails if it is renamed). */
  static final String PROCESS_IMPL = "java.lang.ProcessImpl";

  private ProcessStartWarmup() {}

  /** Never throws: a failure only costs the first job that time. */
  static void run() {
    try {
      Class.forName(PROCESS_IMPL, true, null);
      System.getenv();
      ProcessHandle.current().pid();
    } catch (Exception | LinkageError e) {
      LOG.log(System.Logger.Level.DEBUG, "process start warm-up failed: {0}", e.toString());
    }
  }
}
