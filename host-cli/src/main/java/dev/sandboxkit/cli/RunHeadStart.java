package dev.sandboxkit.cli;

import dev.sandboxkit.SandboxDrivers;
import dev.sandboxkit.lifecycle.internal.startup.Prestart;
import dev.sandboxkit.lifecycle.internal.startup.Speedup;
import java.util.List;

/**
 * The head start of {@code sandboxkit run}: from the process's first millisecond, a daemon thread
 * does on the second core what the run needs once the arguments are parsed, while the main thread
 * builds the picocli model and parses (~50 ms of a cold JVM): the classes of this package that
 * {@link RunCommand#call()} initialises, then the lifecycle's {@link Prestart}. Measured
 * (2 cores): bwrap spawned ~35-45 ms earlier, although picocli's part gets a few ms slower.
 *
 * <p>Side-effect free ({@link Prestart}): nothing the process prints, returns or leaves behind
 * depends on whether or when this thread runs, the main thread never waits for it and takes
 * over no result from it. Never throws.
 */
final class RunHeadStart implements Runnable {
  private static final String CLI = "dev.sandboxkit.cli.";
  /** Classes {@link RunCommand#call()} initialises before the run starts. */
  static final List<String> CLASSES = List.of(
      CLI + "RunPlan", CLI + "MxcRequest", "dev.sandboxkit.lifecycle.internal.vm.CommandLines", CLI + "Text", CLI + "ProgressLine",
      CLI + "ExitCodes", "dev.sandboxkit.lifecycle.ExecutionRequest", "dev.sandboxkit.OneShotRunner");

  private RunHeadStart() {
  }

  /**
   * Starts the thread when {@code args} run a sandbox (their first word is {@code run}) and the
   * switch {@code prestart} is on ({@link Speedup#PRESTART}); returns it, or null when not started.
   */
  static Thread startFor(String[] args) {
    if (args.length == 0 || !args[0].equals("run") || !Speedup.PRESTART.on()) {
      return null;
    }
    Thread t = new Thread(new RunHeadStart(), "sandboxkit-prestart");
    t.setDaemon(true);
    t.start();
    return t;
  }

  @Override
  public void run() {
    Prestart.initialise(CLASSES, RunHeadStart.class.getClassLoader());
    new Prestart(SandboxDrivers::auto).run();
  }
}
