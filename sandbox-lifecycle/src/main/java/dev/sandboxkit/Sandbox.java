package dev.sandboxkit;

import dev.sandboxkit.*;

import dev.sandboxkit.lifecycle.*;

import dev.sandboxkit.lifecycle.internal.session.LiveSession;
import dev.sandboxkit.lifecycle.internal.session.SessionExecution;
import dev.sandboxkit.lifecycle.internal.session.SessionPrepare;
import dev.sandboxkit.lifecycle.internal.session.SessionSettings;
import dev.sandboxkit.lifecycle.internal.session.SessionStart;
import dev.sandboxkit.lifecycle.internal.vm.DriverSpi;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A live sandbox that runs any number of executions, one after another, until it is closed.
 *
 * <pre>{@code
 * try (Sandbox sandbox = Sandbox.builder(SandboxDrivers.auto()).policy(policy).start()) {
 *   sandbox.exec(ExecutionRequest.builder("echo hi > /tmp/f").build());
 *   ExecutionResult r = sandbox.exec(ExecutionRequest.builder("cat /tmp/f").build());
 * }
 * }</pre>
 *
 * <p>Thread-safe. <b>One execution at a time</b>: {@link #exec} or {@link #start} while another
 * execution runs throws {@link SandboxBusyException} at once (it never waits), so the outputs of
 * two executions can never mix. A timed-out or cancelled execution leaves the sandbox usable. When
 * an execution's timeout passes and the guest has not reported its end within a short grace (2 s),
 * the host tears the sandbox down and the result is {@link FailurePhase#TIMED_OUT}: a stopped or
 * wedged guest cannot stretch a timeout. If the guest or the sandbox dies, the running execution
 * and every later call fail with {@link SandboxClosedException} ({@code GUEST_DIED}) and the sandbox
 * is torn down. {@link #close()} is idempotent and keeps every one-shot guarantee: ownership marker
 * and proof, teardown on JVM shutdown, the sandbox dies with this JVM, and the marker goes only once
 * the sandbox is confirmed gone.
 */
public final class Sandbox implements AutoCloseable {
  private final LiveSession session;

  private Sandbox(LiveSession session) {
    this.session = session;
  }

  /** Configures a sandbox of {@code driver} (one of {@link SandboxDrivers}). */
  public static Builder builder(SandboxDriver driver) {
    return new Builder(driver);
  }

  /** The sandbox id (the run dir's UUID; listener events carry it). */
  public String id() {
    return session.id();
  }

  public String driverName() {
    return session.driverName();
  }

  public SandboxPolicy policy() {
    return session.policy();
  }

  /** False once closed (by {@link #close()}, a timer, or the guest's death). */
  public boolean isOpen() {
    return session.isOpen();
  }

  /** What the guest announced it supports (e.g. {@code "env"}, {@code "cancel"}); empty for an mxc guest. */
  public Set<String> guestCapabilities() {
    return session.capabilities();
  }

  /**
   * Runs {@code request} and waits for it. The result's phase is {@link FailurePhase#NONE}, {@link
   * FailurePhase#PROCESS_EXITED}, {@link FailurePhase#TIMED_OUT} or {@link FailurePhase#CANCELLED}.
   *
   * @throws SandboxBusyException another execution is running
   * @throws SandboxClosedException the sandbox is closed, or closed or died during the execution
   * @throws SandboxException REJECTED when the request cannot run here (e.g. environment variables
   *     for a guest without the {@code env} capability, a command line over 16 MiB)
   */
  public ExecutionResult exec(ExecutionRequest request) throws SandboxException {
    SessionExecution e = session.admit(Objects.requireNonNull(request, "request"));
    session.run(e, true);
    try {
      return e.await();
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt(); // run() returned, so the result is complete: not reached
      throw new SandboxException(FailurePhase.POST_LAUNCH_FAILED, "interrupted", "");
    }
  }

  /**
   * Starts {@code request} on a thread of its own and returns at once. Busy, closed and rejected
   * are thrown here, synchronously, as by {@link #exec}.
   */
  public Execution start(ExecutionRequest request) throws SandboxException {
    SessionExecution e = session.admit(Objects.requireNonNull(request, "request"));
    Thread t = new Thread(() -> session.run(e, true), "sandboxkit-exec-" + e.id().substring(0, 8));
    t.setDaemon(true);
    t.start();
    return e;
  }

  /** Tears the sandbox down (a running execution fails with {@link SandboxClosedException}). Idempotent. */
  @Override
  public void close() {
    session.close(SandboxClosedException.Reason.CLOSED, "the sandbox " + session.id() + " is closed",
        "start a new sandbox");
  }

  @Override
  public String toString() {
    return "Sandbox[" + session.id() + ", " + session.driverName() + (isOpen() ? ", open]" : ", closed]");
  }

  /** Configures a {@link Sandbox}; {@link #start()} starts it. */
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

    /** Observes the steps (events carry the sandbox id and execution ids). */
    public Builder listener(SandboxListener listener) {
      settings = settings.withListener(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** Closes the sandbox after this long without an execution; {@code null} = never (default). */
    public Builder idleTimeout(Duration idle) {
      settings = settings.withLifetime(Optional.ofNullable(idle), settings.maxLifetime());
      return this;
    }

    /** Closes the sandbox this long after it started, even mid-execution; {@code null} = never (default). */
    public Builder maxLifetime(Duration max) {
      settings = settings.withLifetime(settings.idleTimeout(), Optional.ofNullable(max));
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

    /** Where run dirs and markers live; default {@code <java.io.tmpdir>/sandboxkit/oneshot}. */
    public Builder stateRoot(Path root) {
      settings = settings.withStateRoot(Objects.requireNonNull(root, "root"));
      return this;
    }

    /** Allows tearing down a live sandbox this one cannot prove it owns (Windows Sandbox singleton). */
    public Builder forceReclaim(boolean force) {
      settings = settings.withForceReclaim(force);
      return this;
    }

    /** How long to wait for the guest to come up; default 360 s. */
    public Builder rendezvousTimeout(Duration timeout) {
      settings = settings.withRendezvous(settings.rendezvousPoll(), Objects.requireNonNull(timeout, "timeout"));
      return this;
    }

    /**
     * Does now, once, what a first {@link #start()} for this guest jar and Java runtime would do on
     * the caller's time: on bubblewrap, builds the guest's class-data archive when it is missing
     * (about 3 s, in a network-less training sandbox of its own; the policy does not matter). Run it
     * in an image build or an installer. The listener sees the archive events (sandbox id empty).
     *
     * @return what was done: built, already present, off, nothing to do for this driver, or failed
     *     with the reason (sandboxes still start then, only slower)
     * @throws SandboxException REJECTED when the guest jar cannot be found or the driver cannot run
     *     on this host (e.g. bwrap is missing)
     */
    public PrepareResult prepare() throws SandboxException {
      return SessionPrepare.run(driver, settings);
    }

    /**
     * Starts the sandbox and waits until its guest is ready.
     *
     * @throws SandboxException REJECTED (policy or prerequisite), LAUNCH_FAILED, POST_LAUNCH_FAILED;
     *     whatever was created is torn down first
     */
    public Sandbox start() throws SandboxException {
      return new Sandbox(new SessionStart(driver, settings).start(null));
    }
  }
}
