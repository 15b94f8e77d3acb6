package dev.sandboxkit.lifecycle;

import dev.sandboxkit.lifecycle.internal.oneshot.OneShotRun;
import dev.sandboxkit.lifecycle.internal.oneshot.RunSettings;
import dev.sandboxkit.lifecycle.internal.rendezvous.RendezvousWaiter;
import dev.sandboxkit.lifecycle.internal.teardown.ForceReclaim;
import dev.sandboxkit.lifecycle.internal.teardown.MarkerStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Runs one request in a fresh sandbox and always tears it down.
 *
 * <pre>{@code
 * OneShotRunner runner = OneShotRunner.builder(SandboxDrivers.auto()).build();
 * ExecutionResult r = runner.run(ExecutionRequest.builder("echo hello").build());
 * }</pre>
 *
 * <p>Thread-safe: concurrent {@link #run} calls get independent sandboxes (when the driver allows
 * parallel sandboxes; Windows Sandbox is a host-wide singleton and a second run reports busy).
 */
public final class OneShotRunner {
  private final SandboxDriver driver;
  private final RunSettings settings;

  private OneShotRunner(SandboxDriver driver, RunSettings settings) {
    this.driver = driver;
    this.settings = settings;
  }

  /** Starts a runner for {@code driver} (e.g. {@link SandboxDrivers#auto()}). */
  public static Builder builder(SandboxDriver driver) {
    return new Builder(driver);
  }

  /**
   * Runs the request through the whole lifecycle: validate, host slot, reconcile leftovers, run dir
   * and marker, launch, rendezvous, handshake, exec, teardown. A driver whose sandboxes are
   * independent (no host slot, e.g. bubblewrap) reconciles the leftovers of other runs right after
   * its own launch instead, while the guest starts; the run's marker is on disk before the launch
   * either way.
   *
   * @return the result; run failures are results with a {@link FailurePhase}, a one-line {@link
   *     ExecutionResult#errorMessage()} and the detail in {@link ExecutionResult#extendedError()}
   *     — this method does not throw for them
   */
  public ExecutionResult run(ExecutionRequest request) {
    Objects.requireNonNull(request, "request");
    return new OneShotRun(driver, settings, request).run();
  }

  /**
   * Reconciles leftovers of earlier runs (what {@code sandboxkit cleanup} does).
   *
   * @return a one-line report of what was removed
   * @throws SandboxException LAUNCH_FAILED when the host slot is busy or leftovers cannot be removed
   */
  public String cleanup() throws SandboxException {
    return OneShotRun.cleanup(driver, settings);
  }

  /** Configures a {@link OneShotRunner}. */
  public static final class Builder {
    private final SandboxDriver driver;
    private SandboxListener listener = SandboxListener.NONE;
    private Path stateRoot = MarkerStore.defaultRoot();
    private Duration rendezvousPoll = RendezvousWaiter.DEFAULT_POLL;
    private Duration rendezvousTimeout = RendezvousWaiter.DEFAULT_TIMEOUT;
    private boolean forceReclaim = ForceReclaim.requested();

    private Builder(SandboxDriver driver) {
      this.driver = Objects.requireNonNull(driver, "driver");
    }

    /** Observes the steps (e.g. a progress line). */
    public Builder listener(SandboxListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** Where run dirs and markers live; default {@code <java.io.tmpdir>/sandboxkit/oneshot}. */
    public Builder stateRoot(Path root) {
      this.stateRoot = Objects.requireNonNull(root, "root");
      return this;
    }

    /** How often to look for the guest's rendezvous file; default 500 ms. */
    public Builder rendezvousPoll(Duration poll) {
      this.rendezvousPoll = Objects.requireNonNull(poll, "poll");
      return this;
    }

    /** How long to wait for the guest's rendezvous file; default 360 s. */
    public Builder rendezvousTimeout(Duration timeout) {
      this.rendezvousTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * Allows tearing down a live sandbox this run cannot prove it owns (Windows Sandbox singleton).
     * Default: env {@code SANDBOXKIT_FORCE_RECLAIM} or {@code WXC_WSB_FORCE_RECLAIM} present.
     */
    public Builder forceReclaim(boolean force) {
      this.forceReclaim = force;
      return this;
    }

    public OneShotRunner build() {
      new RendezvousWaiter(rendezvousPoll, rendezvousTimeout); // validates
      return new OneShotRunner(driver,
          new RunSettings(listener, stateRoot, rendezvousPoll, rendezvousTimeout, forceReclaim));
    }
  }
}
