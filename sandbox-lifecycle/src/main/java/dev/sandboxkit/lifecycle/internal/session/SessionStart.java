package dev.sandboxkit.lifecycle.internal.session;

import dev.sandboxkit.auth.Nonce;
import dev.sandboxkit.auth.NonceException;
import dev.sandboxkit.auth.NonceFile;
import dev.sandboxkit.lifecycle.ExecutionRequest;
import dev.sandboxkit.lifecycle.FailurePhase;
import dev.sandboxkit.lifecycle.SandboxException;
import dev.sandboxkit.lifecycle.internal.bridge.GuestConnection;
import dev.sandboxkit.lifecycle.internal.bridge.UnixPathAlias;
import dev.sandboxkit.lifecycle.internal.controlplane.HostSlot;
import dev.sandboxkit.lifecycle.internal.controlplane.Ids;
import dev.sandboxkit.lifecycle.internal.controlplane.OwnerOnly;
import dev.sandboxkit.lifecycle.internal.controlplane.VmProcId;
import dev.sandboxkit.lifecycle.internal.policy.PolicyPlan;
import dev.sandboxkit.lifecycle.internal.rendezvous.RendezvousAddress;
import dev.sandboxkit.lifecycle.internal.rendezvous.RendezvousWaiter;
import dev.sandboxkit.lifecycle.internal.teardown.Marker;
import dev.sandboxkit.lifecycle.internal.teardown.MarkerStore;
import dev.sandboxkit.lifecycle.internal.teardown.TeardownGuard;
import dev.sandboxkit.lifecycle.internal.teardown.VmOwnership;
import dev.sandboxkit.lifecycle.internal.vm.DriverSpi;
import dev.sandboxkit.lifecycle.internal.vm.GuestJar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Starts one sandbox (docs/architecture.md §3, steps 1-6): validate, host slot, reconcile leftovers, run dir with
 * marker and nonce, launch with ownership proof, rendezvous, handshake up to Ready. On failure it
 * tears down what it created and throws; on success the {@link LiveSession} owns everything
 * (slot lease, teardown guard with its shutdown hook, instance, channels).
 */
public final class SessionStart {
  static final java.time.Duration SLOT_WAIT = java.time.Duration.ofSeconds(5);
  static final String RENDEZVOUS_DIR = "rendezvous";
  /** The logger, created on first use: the launch path never starts the logging backend. */
  private static final class Log {
    static final System.Logger LOG = System.getLogger(SessionStart.class.getName());
  }

  private final DriverSpi driver;
  private final SessionSettings settings;
  private final SafeListener listener;
  private final LeftoverReconcile leftovers;

  public SessionStart(DriverSpi driver, SessionSettings settings) {
    this.driver = driver;
    this.settings = settings;
    this.listener = new SafeListener(settings.listener());
    this.leftovers = new LeftoverReconcile(driver, settings.forceReclaim());
  }

  /**
   * Starts the sandbox.
   *
   * @param firstRequest checked before anything exists (a one-shot run's request), or null
   * @throws SandboxException REJECTED, LAUNCH_FAILED or POST_LAUNCH_FAILED, after teardown; its
   *     detail ends with the teardown's and the reconcile's notes
   */
  public LiveSession start(ExecutionRequest firstRequest) throws SandboxException {
    // The sandbox id (its run dir's name) is chosen first: every event, prepareStart on, carries it.
    UUID runId = Ids.uuid();
    listener.id(runId.toString());
    listener.prepareStart();
    PolicyPlan plan;
    Path guestJar;
    try {
      plan = driver.checkEnforceable(settings.policy());
      if (firstRequest != null) {
        ExecutionChecks.frameSize(driver.platform(), firstRequest);
      }
      guestJar = guestJar();
    } catch (SandboxException e) {
      listener.prepareFailed(e);
      throw e;
    } catch (RuntimeException e) {
      throw internalError(e);
    }
    Optional<HostSlot.Lease> lease;
    try {
      lease = driver.hostSlot().tryAcquire(SLOT_WAIT);
    } catch (IOException e) {
      throw failPrepare(new SandboxException(FailurePhase.LAUNCH_FAILED,
          "could not take the " + driver.name() + " host slot", e.getMessage(), e));
    }
    if (lease.isEmpty()) {
      throw failPrepare(new SandboxException(FailurePhase.LAUNCH_FAILED,
          "another " + driver.name() + " sandbox owner holds the host slot (waited " + SLOT_WAIT.toSeconds() + " s)",
          "only one sandbox of this kind can run at a time; retry when the other one has finished"));
    }
    boolean handedOver = false;
    try {
      LiveSession s = startHoldingSlot(runId, plan, guestJar, lease.get());
      handedOver = true;
      return s;
    } catch (RuntimeException e) {
      throw internalError(e);
    } finally {
      if (!handedOver) {
        lease.get().close();
      }
    }
  }

  private Path guestJar() throws SandboxException {
    return guestJar(settings);
  }

  /** The guest jar the settings name, or the one found as {@link GuestJar#locate()} finds it. */
  static Path guestJar(SessionSettings settings) throws SandboxException {
    if (settings.guestJar().isEmpty()) {
      return GuestJar.locate();
    }
    Path jar = settings.guestJar().get().toAbsolutePath();
    if (!Files.isRegularFile(jar) || !Files.isReadable(jar)) {
      throw new SandboxException(FailurePhase.REJECTED, "the guest agent jar " + jar + " is not a readable file",
          "pass the path of sandboxkit-guest.jar to guestJar(..)");
    }
    return jar;
  }

  private LiveSession startHoldingSlot(UUID runId, PolicyPlan plan, Path guestJar,
      HostSlot.Lease lease) throws SandboxException {
    MarkerStore store = new MarkerStore(settings.stateRoot());
    Path runDir;
    try {
      store.secureRoot();
      if (leftovers.first()) {
        leftovers.run(store);
      }
      runDir = store.createRunDir(runId);
    } catch (SandboxException e) {
      throw failPrepare(e);
    } catch (IOException e) {
      throw failPrepare(new SandboxException(FailurePhase.LAUNCH_FAILED,
          "cannot prepare the state directory " + store.root(), e.getMessage(), e));
    }
    TeardownGuard guard = TeardownGuard.arm(runDir, driver.killer(), settings.teardownBudget(),
        driver.teardownPoll(), true);
    DriverSpi.Instance instance = null;
    GuestConnection conn = null;
    SandboxException failure;
    try {
      Path rendezvous;
      Nonce nonce;
      try {
        store.write(runDir, Marker.forCurrentProcess(List.of()));
        rendezvous = OwnerOnly.ensureDirectory(runDir.resolve(RENDEZVOUS_DIR));
        try {
          nonce = Nonce.generate();
        } catch (NonceException e) {
          throw new SandboxException(FailurePhase.LAUNCH_FAILED, "cannot generate the session nonce",
              e.getMessage(), e);
        }
        NonceFile.write(rendezvous, nonce);
      } catch (IOException e) {
        throw new SandboxException(FailurePhase.LAUNCH_FAILED, "cannot prepare the run dir " + runDir,
            e.getMessage(), e);
      }
      Path javaHome = Path.of(System.getProperty("java.home"));
      instance = driver.prepare(new DriverSpi.Launch(UUID.fromString(runDir.getFileName().toString()),
          runDir, rendezvous, plan, guestJar, javaHome, settings.cacheDir(), settings.classDataArchives(),
          listener.archiveEvents()));
      listener.prepareEnd();

      launch(instance, guard, store, runDir);
      Rendezvous found = rendezvous(instance, rendezvous);
      conn = handshake(instance, found.address(), found.dir(), nonce);
      if (!found.dir().equals(rendezvous)) {
        dropHostNonce(rendezvous); // the guest read its own copy, inside the sandbox
      }
      refreshProof(instance, guard, store, runDir);
      return new LiveSession(driver, settings, listener, lease, runDir, guard, instance, conn, leftovers.note());
    } catch (StepFailed f) {
      failure = f.cause;
    } catch (SandboxException e) {
      listener.prepareFailed(e);
      failure = e;
    } catch (RuntimeException e) {
      // A driver bug (e.g. launch() throwing IllegalStateException) must not skip the teardown below.
      failure = internalError(e);
    }
    if (conn != null) {
      conn.close();
    }
    String note = SessionTeardown.run(listener, guard, runDir, instance, settings.teardownBudget());
    if (!leftovers.done()) {
      leftovers.afterFailure(store, runDir);
    }
    throw withNote(withNote(failure, note), leftovers.note());
  }

  private void launch(DriverSpi.Instance instance, TeardownGuard guard, MarkerStore store, Path runDir)
      throws StepFailed {
    listener.launchStart();
    try {
      guard.setOwnership(VmOwnership.LAUNCH_IN_FLIGHT);
      try {
        instance.launch();
      } catch (SandboxException e) {
        if (!instance.mayHaveStarted()) {
          // Nothing can be running: clear the run dir now rather than leave it to a later reconcile.
          guard.setOwnership(VmOwnership.NOT_LAUNCHED);
        }
        throw e;
      }
      guard.setOwnership(VmOwnership.LAUNCH_SUCCEEDED_NO_PROOF);
      List<VmProcId> proof = instance.captureProof();
      if (proof.isEmpty()) {
        Log.LOG.log(System.Logger.Level.WARNING, "no ownership proof captured for {0}", runDir);
      } else {
        guard.setOwnership(new VmOwnership.Owned(proof));
        try {
          store.write(runDir, Marker.forCurrentProcess(proof));
        } catch (IOException e) {
          throw new SandboxException(FailurePhase.LAUNCH_FAILED,
              "cannot record the sandbox's ownership proof in " + MarkerStore.markerFile(runDir), e.getMessage(), e);
        }
      }
      if (!leftovers.done()) {
        // Independent sandboxes: ours runs and its proof is on disk; now the others' leftovers.
        leftovers.run(store.excluding(runDir));
      }
    } catch (SandboxException e) {
      listener.launchFailed(e);
      throw new StepFailed(e);
    }
    listener.launchEnd();
  }

  /** W7: the proof refreshed once the guest answered (union), the marker rewritten when it grew. */
  private static void refreshProof(DriverSpi.Instance instance, TeardownGuard guard, MarkerStore store,
      Path runDir) {
    List<VmProcId> old = guard.ownership().orElse(null) instanceof VmOwnership.Owned o ? o.proof() : List.of();
    List<VmProcId> fresh = instance.refreshProof(old);
    if (fresh.equals(old) || fresh.isEmpty()) {
      return;
    }
    guard.setOwnership(new VmOwnership.Owned(fresh));
    try {
      store.write(runDir, Marker.forCurrentProcess(fresh));
    } catch (IOException e) { // the in-memory proof still drives this run's teardown
      Log.LOG.log(System.Logger.Level.WARNING, "cannot rewrite the ownership proof in {0}: {1}",
          MarkerStore.markerFile(runDir), e.getMessage());
    }
  }

  /** Where the guest advertised its address ({@link DriverSpi.Instance#rendezvousView}) and the address. */
  private record Rendezvous(Path dir, RendezvousAddress address) {}

  private Rendezvous rendezvous(DriverSpi.Instance instance, Path hostDir) throws StepFailed {
    listener.rendezvousStart();
    try {
      Path dir = instance.rendezvousView(hostDir);
      RendezvousAddress a = new RendezvousWaiter(settings.rendezvousPoll(), settings.rendezvousTimeout())
          .await(dir, driver.transport(), instance::liveness);
      listener.rendezvousEnd();
      return new Rendezvous(dir, a);
    } catch (SandboxException e) {
      listener.rendezvousFailed(e);
      throw new StepFailed(e);
    }
  }

  private GuestConnection handshake(DriverSpi.Instance instance, RendezvousAddress address, Path dir,
      Nonce nonce) throws StepFailed {
    listener.handshakeStart();
    UnixPathAlias alias = null;
    try {
      alias = UnixPathAlias.of(address.resolve(dir));
      GuestConnection c = GuestConnection.open(alias.address(), nonce, GuestConnection.DEFAULT_TIMEOUT);
      c.keepUntilClosed(alias); // reconnectData dials it again for every later execution
      listener.handshakeEnd();
      return c;
    } catch (IOException e) {
      if (alias != null) {
        alias.close();
      }
      DriverSpi.Liveness live = instance.liveness();
      SandboxException se = new SandboxException(FailurePhase.POST_LAUNCH_FAILED,
          "could not connect to the guest agent at " + address + ": " + e.getMessage(),
          live.alive() ? "the sandbox is still running" : live.diagnostics(), e);
      listener.handshakeFailed(se);
      throw new StepFailed(se);
    }
  }

  /** The host's copy of the nonce, once the guest has read the copy the driver put in the sandbox. */
  private static void dropHostNonce(Path hostDir) {
    try {
      Files.deleteIfExists(hostDir.resolve(NonceFile.FILE_NAME));
    } catch (IOException e) { // owner-only in the run dir, removed with it at teardown
      Log.LOG.log(System.Logger.Level.DEBUG, "cannot delete the host's nonce file: {0}", e.getMessage());
    }
  }

  private SandboxException failPrepare(SandboxException e) {
    listener.prepareFailed(e);
    return withNote(e, leftovers.note());
  }

  static SandboxException internalError(RuntimeException e) {
    Log.LOG.log(System.Logger.Level.ERROR, "internal error in the sandbox lifecycle", e);
    return new SandboxException(FailurePhase.POST_LAUNCH_FAILED,
        "internal error: " + e.getClass().getSimpleName() + ": " + e.getMessage(),
        "this is a sandboxkit bug; please report it with the log", e);
  }

  /** {@code e} with {@code note} appended to its detail ({@code e} itself when there is none). */
  static SandboxException withNote(SandboxException e, String note) {
    if (note == null || note.isEmpty()) {
      return e;
    }
    return new SandboxException(e.phase(), e.getMessage(), ResultMapper.join(e.detail(), note), e);
  }

  /** A step failed and its listener event was already sent. */
  private static final class StepFailed extends Exception {
    private static final long serialVersionUID = 1L;
    final SandboxException cause;

    StepFailed(SandboxException cause) {
      super(cause.getMessage(), null, false, false);
      this.cause = cause;
    }
  }
}
