package dev.sandboxkit.cli;

import dev.sandboxkit.lifecycle.ExecutionRequest;
import dev.sandboxkit.lifecycle.ExecutionResult;
import dev.sandboxkit.lifecycle.PrepareResult;
import dev.sandboxkit.lifecycle.SandboxDriver;
import dev.sandboxkit.lifecycle.SandboxException;
import dev.sandboxkit.lifecycle.SandboxListener;
import dev.sandboxkit.lifecycle.SandboxPolicy;
import java.util.List;

/**
 * What the commands need from the lifecycle library; {@link LifecycleBackend} is the real one,
 * tests substitute fakes so the CLI's own logic runs without a sandbox.
 */
interface Backend {

  /**
   * The driver named {@code auto}, {@code bubblewrap} or {@code windows-sandbox}.
   *
   * @throws CliException when the name is unknown or the driver is not part of this build
   */
  String resolveDriver(String name);

  /** Runs one command in a fresh sandbox of {@code driver}; never throws for run failures. */
  ExecutionResult run(String driver, ExecutionRequest request, SandboxPolicy policy, SandboxListener listener,
      boolean forceReclaim);

  /**
   * The one-time work of a first run, done now ({@code OneShotRunner.prepare()}).
   *
   * @throws SandboxException REJECTED: the driver cannot run here or the guest jar is not found
   */
  PrepareResult prepare(String driver, SandboxListener listener) throws SandboxException;

  /** Each driver's prerequisite checks, the default driver first. */
  List<DriverReport> doctor();

  /** Reconciles leftovers of earlier runs of {@code driver}; the report to print. */
  CleanupReport cleanup(String driver, boolean forceReclaim);

  /** One driver's doctor checks. */
  record DriverReport(String driver, boolean isDefault, List<SandboxDriver.Check> checks) {
    boolean ready() {
      return !checks.isEmpty() && checks.stream().allMatch(SandboxDriver.Check::ok);
    }
  }

  /**
   * What cleanup did.
   *
   * @param refused true when it refused (busy: a live run, a sandbox it cannot prove it owns)
   * @param lines what it removed or why it refused, one item a line
   */
  record CleanupReport(boolean refused, List<String> lines) {}
}
