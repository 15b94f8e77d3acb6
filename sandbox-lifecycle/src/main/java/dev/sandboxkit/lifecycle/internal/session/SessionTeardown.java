package dev.sandboxkit.lifecycle.internal.session;

import dev.sandboxkit.lifecycle.FailurePhase;
import dev.sandboxkit.lifecycle.SandboxException;
import dev.sandboxkit.lifecycle.internal.teardown.TeardownGuard;
import dev.sandboxkit.lifecycle.internal.teardown.TeardownOutcome;
import dev.sandboxkit.lifecycle.internal.vm.DriverSpi;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Design step 8 for one sandbox: through its teardown guard, then the driver's cleanup. */
final class SessionTeardown {
  /** The logger, created on first use: the launch path never starts the logging backend. */
  private static final class Log {
    static final System.Logger LOG = System.getLogger(SessionTeardown.class.getName());
  }

  private SessionTeardown() {}

  /**
   * Tears down what the guard owns, closes the guard and the instance (may be null), and sends the
   * teardown events. Never throws.
   *
   * @return "" when the sandbox is confirmed gone, else what was kept and why (a note for the caller)
   */
  static String run(SafeListener listener, TeardownGuard guard, Path runDir, DriverSpi.Instance instance,
      Duration budget) {
    listener.teardownStart();
    Optional<TeardownOutcome> outcome;
    try {
      outcome = guard.teardown(budget);
    } finally {
      guard.close();
      if (instance != null) {
        try {
          instance.close();
        } catch (RuntimeException e) {
          Log.LOG.log(System.Logger.Level.WARNING, "driver cleanup failed: " + e);
        }
      }
    }
    if (outcome.isEmpty() || outcome.get().confirmedGone()) {
      listener.teardownEnd();
      return "";
    }
    String what = outcome.get() instanceof TeardownOutcome.NotOwned
        ? "the launch failed midway, so nothing was killed (ownership unknown); the run dir " + runDir
            + " and its marker are kept until a run or `sandboxkit cleanup` after this process has exited"
            + " reconciles them"
        : "the sandbox could not be confirmed gone (" + outcome.get() + "); its marker in " + runDir
            + " is kept and the next run reclaims it";
    listener.teardownFailed(new SandboxException(FailurePhase.POST_LAUNCH_FAILED, what, ""));
    return what;
  }
}
