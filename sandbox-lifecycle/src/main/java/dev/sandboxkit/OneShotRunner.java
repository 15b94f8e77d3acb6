package dev.sandboxkit;

import dev.sandboxkit.*;

import dev.sandboxkit.lifecycle.*;

import dev.sandboxkit.lifecycle.internal.oneshot.OneShotRun;
import dev.sandboxkit.lifecycle.internal.session.SessionPrepare;
import dev.sandboxkit.lifecycle.internal.session.SessionSettings;
import dev.sandboxkit.lifecycle.internal.vm.DriverSpi;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs one request in a fresh sandbox and always tears it down: a {@link Sandbox} started,
 * executed once and closed, over the same code.
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
  private final DriverSpi driver;
  private final SessionSettings settings;

  private OneShotRunner(DriverSpi driver, SessionSettings settings) {
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
   * @return what was done: a line {@code removed DIR} per removed run dir (and a note from the
   *     reconcile, if any), or {@code nothing to clean up under ROOT}
   * @throws SandboxException REJECTED when cleanup refuses (a live sandbox owner holds the host slot, a
   *     live run, a sandbox it cannot prove it owns: see {@code forceReclaim}); LAUNCH_FAILED when the
   *     host slot or the state folder cannot be used
   */
  public String cleanup() throws SandboxException {
    return OneShotRun.cleanup(driver, settings);
  }

  /**
   * The one-time work of a first run, done now: as {@link Sandbox.Builder#prepare()}.
   *
   * @throws SandboxException REJECTED when the guest jar cannot be found or the driver cannot run here
   */
  public PrepareResult prepare() throws SandboxException {
    return SessionPrepare.run(driver, settings);
  }

  /** Configures a {@link OneShotRunner}: the options of {@link Sandbox.Builder}. */
  public static final class Builder {
    private final DriverSpi driver;
    private SessionSettings settings = SessionSettings.defaults();

    private Builder(SandboxDriver driver) {
      this.driver = BuilderSupport.spi(driver);
    }

    /** What the sandbox may see and reach; default {@link SandboxPolicy#DEFAULT}. */
    public Builder policy(SandboxPolicy policy) {
      settings = settings.withPolicy(Objects.requireNonNull(policy, "policy"));
      return this;
    }

    /** Observes the steps (e.g. a progress line). */
    public Builder listener(SandboxListener listener) {
      settings = settings.withListener(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** Where run dirs and markers live; default {@code <java.io.tmpdir>/sandboxkit/oneshot}. */
    public Builder stateRoot(Path root) {
      settings = settings.withStateRoot(Objects.requireNonNull(root, "root"));
      return this;
    }

    /** How often to look for the guest's rendezvous file; default 500 ms. */
    public Builder rendezvousPoll(Duration poll) {
      settings = settings.withRendezvous(Objects.requireNonNull(poll, "poll"), settings.rendezvousTimeout());
      return this;
    }

    /** How long to wait for the guest's rendezvous file; default 360 s. */
    public Builder rendezvousTimeout(Duration timeout) {
      settings = settings.withRendezvous(settings.rendezvousPoll(), Objects.requireNonNull(timeout, "timeout"));
      return this;
    }

    /**
     * Allows tearing down a live sandbox this run cannot prove it owns (Windows Sandbox singleton).
     * Default: env {@code SANDBOXKIT_FORCE_RECLAIM} or {@code WXC_WSB_FORCE_RECLAIM} present.
     */
    public Builder forceReclaim(boolean force) {
      settings = settings.withForceReclaim(force);
      return this;
    }

    /** The guest agent jar; default {@code -Dsandboxkit.guest.jar}, {@code SANDBOXKIT_GUEST_JAR} or next to this jar. */
    public Builder guestJar(Path jar) {
      settings = settings.withGuest(Optional.of(jar), settings.cacheDir(), settings.classDataArchives());
      return this;
    }

    /** Where class-data archives of the guest are kept; default {@code -Dsandboxkit.cds.dir} or the user cache. */
    public Builder cacheDir(Path dir) {
      settings = settings.withGuest(settings.guestJar(), Optional.of(dir), settings.classDataArchives());
      return this;
    }

    /** Whether the guest starts from a class-data archive; default on unless {@code SANDBOXKIT_NO_CDS}. */
    public Builder classDataArchives(boolean on) {
      settings = settings.withGuest(settings.guestJar(), settings.cacheDir(), Optional.of(on));
      return this;
    }

    /** Ends the run (as a failure) if it lasts longer than this; {@code null} = no cap (default). */
    public Builder maxLifetime(Duration max) {
      settings = settings.withLifetime(Optional.empty(), Optional.ofNullable(max));
      return this;
    }

    public OneShotRunner build() {
      return new OneShotRunner(driver, settings);
    }
  }
}
