package dev.sandboxkit.lifecycle.internal.oneshot;

import dev.sandboxkit.auth.Nonce;
import dev.sandboxkit.auth.NonceException;
import dev.sandboxkit.auth.NonceFile;
import dev.sandboxkit.lifecycle.ExecutionRequest;
import dev.sandboxkit.lifecycle.ExecutionResult;
import dev.sandboxkit.lifecycle.FailurePhase;
import dev.sandboxkit.lifecycle.SandboxDriver;
import dev.sandboxkit.lifecycle.SandboxException;
import dev.sandboxkit.lifecycle.internal.bridge.ExecOutcome;
import dev.sandboxkit.lifecycle.internal.bridge.GuestConnection;
import dev.sandboxkit.lifecycle.internal.bridge.OneShotExec;
import dev.sandboxkit.lifecycle.internal.bridge.UnixPathAlias;
import dev.sandboxkit.lifecycle.internal.controlplane.HostSlot;
import dev.sandboxkit.lifecycle.internal.controlplane.Ids;
import dev.sandboxkit.lifecycle.internal.controlplane.OwnerOnly;
import dev.sandboxkit.lifecycle.internal.controlplane.VmProcId;
import dev.sandboxkit.lifecycle.internal.policy.PolicyPlan;
import dev.sandboxkit.lifecycle.internal.rendezvous.RendezvousAddress;
import dev.sandboxkit.lifecycle.internal.rendezvous.RendezvousWaiter;
import dev.sandboxkit.lifecycle.internal.teardown.BlockingTeardown;
import dev.sandboxkit.lifecycle.internal.teardown.Marker;
import dev.sandboxkit.lifecycle.internal.teardown.MarkerStore;
import dev.sandboxkit.lifecycle.internal.teardown.ReconcileResult;
import dev.sandboxkit.lifecycle.internal.teardown.TeardownGuard;
import dev.sandboxkit.lifecycle.internal.teardown.TeardownOutcome;
import dev.sandboxkit.lifecycle.internal.teardown.VmOwnership;
import dev.sandboxkit.lifecycle.internal.vm.GuestJar;
import dev.sandboxkit.protocol.ControlMessage;
import dev.sandboxkit.protocol.FrameCodec;
import dev.sandboxkit.protocol.FrameTooLongException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** One pass through the one-shot lifecycle (design.md steps 1-8). Never throws for run failures. */
public final class OneShotRun {
  static final Duration SLOT_WAIT = Duration.ofSeconds(5);
  static final String RENDEZVOUS_DIR = "rendezvous";
  /** The logger, created on first use: the launch path never starts the logging backend (oneshot.Warmup). */
  private static final class Log {
    static final System.Logger LOG = System.getLogger(OneShotRun.class.getName());
  }

  private final SandboxDriver driver;
  private final RunSettings settings;
  private final ExecutionRequest request;
  private final SafeListener listener;
  private final Duration teardownBudget;
  private final LeftoverReconcile leftovers;

  public OneShotRun(SandboxDriver driver, RunSettings settings, ExecutionRequest request) {
    this(driver, settings, request, BlockingTeardown.DEFAULT_BUDGET);
  }

  /** Tests: a shorter teardown wait than the 30 s default. */
  OneShotRun(SandboxDriver driver, RunSettings settings, ExecutionRequest request, Duration teardownBudget) {
    this.driver = driver;
    this.settings = settings;
    this.request = request;
    this.listener = new SafeListener(settings.listener());
    this.teardownBudget = teardownBudget;
    this.leftovers = new LeftoverReconcile(driver, settings.forceReclaim());
  }

  public ExecutionResult run() {
    NonceAhead nonce = NonceAhead.start();
    try {
      return run(nonce);
    } finally {
      nonce.await();
    }
  }

  private ExecutionResult run(NonceAhead nonce) {
    String execId = Ids.uuid().toString();
    listener.prepareStart();
    PolicyPlan plan;
    Path guestJar;
    try {
      plan = driver.checkEnforceable(request.policy());
      checkFrameSize(execId);
      guestJar = GuestJar.locate();
    } catch (SandboxException e) {
      listener.prepareFailed(e);
      return ExecutionResult.failure(e);
    } catch (RuntimeException e) {
      return internalError(e);
    }
    Optional<HostSlot.Lease> lease;
    try {
      lease = driver.hostSlot().tryAcquire(SLOT_WAIT);
    } catch (IOException e) {
      return failPrepare(new SandboxException(FailurePhase.LAUNCH_FAILED,
          "could not take the " + driver.name() + " host slot", e.getMessage(), e));
    }
    if (lease.isEmpty()) {
      return failPrepare(new SandboxException(FailurePhase.LAUNCH_FAILED,
          "another " + driver.name() + " sandbox owner holds the host slot (waited " + SLOT_WAIT.toSeconds() + " s)",
          "only one sandbox of this kind can run at a time; retry when the other run has finished"));
    }
    try (HostSlot.Lease held = lease.get()) {
      return runHoldingSlot(plan, guestJar, execId, nonce);
    } catch (RuntimeException e) {
      return internalError(e);
    }
  }

  private ExecutionResult runHoldingSlot(PolicyPlan plan, Path guestJar, String execId, NonceAhead nonceAhead) {
    MarkerStore store = new MarkerStore(settings.stateRoot());
    Path runDir;
    try {
      store.secureRoot();
      if (leftovers.first()) {
        leftovers.run(store);
      }
      runDir = store.createRunDir();
    } catch (SandboxException e) {
      return failPrepare(e);
    } catch (IOException e) {
      return failPrepare(new SandboxException(FailurePhase.LAUNCH_FAILED,
          "cannot prepare the state directory " + store.root(), e.getMessage(), e));
    }
    TeardownGuard guard = TeardownGuard.arm(runDir, driver.killer(), teardownBudget,
        driver.teardownPoll(), true);
    SandboxDriver.Instance instance = null;
    GuestConnection conn = null;
    ExecutionResult result;
    try {
      Path rendezvous;
      Nonce nonce;
      try {
        store.write(runDir, Marker.forCurrentProcess(List.of()));
        rendezvous = OwnerOnly.ensureDirectory(runDir.resolve(RENDEZVOUS_DIR));
        try {
          nonce = nonceAhead.get();
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
      instance = driver.prepare(new SandboxDriver.Launch(UUID.fromString(runDir.getFileName().toString()),
          runDir, rendezvous, plan, guestJar, javaHome));
      listener.prepareEnd();

      launch(instance, guard, store, runDir);
      RendezvousAddress address = rendezvous(instance, rendezvous);
      conn = handshake(instance, address, rendezvous, nonce);
      refreshProof(instance, guard, store, runDir);
      result = exec(conn, execId);
    } catch (StepFailed f) {
      result = ExecutionResult.failure(f.cause);
    } catch (SandboxException e) {
      listener.prepareFailed(e);
      result = ExecutionResult.failure(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      result = ExecutionResult.failure(new SandboxException(FailurePhase.POST_LAUNCH_FAILED,
          "the run was interrupted", "the calling thread was interrupted"));
    } catch (RuntimeException e) {
      // A driver bug (e.g. launch() throwing IllegalStateException) must not skip the teardown below.
      result = internalError(e);
    } finally {
      if (conn != null) {
        conn.close();
      }
    }
    result = teardown(guard, runDir, instance, result);
    if (!leftovers.done()) {
      leftovers.afterFailure(store, runDir);
    }
    return withNote(result, leftovers.note());
  }

  private void launch(SandboxDriver.Instance instance, TeardownGuard guard, MarkerStore store, Path runDir)
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
    Warmup.run(); // while the guest boots
    listener.launchEnd();
  }

  /** W7: the proof refreshed once the guest answered (union), the marker rewritten when it grew. */
  private static void refreshProof(SandboxDriver.Instance instance, TeardownGuard guard, MarkerStore store,
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

  private RendezvousAddress rendezvous(SandboxDriver.Instance instance, Path dir) throws StepFailed {
    listener.rendezvousStart();
    try {
      RendezvousAddress a = new RendezvousWaiter(settings.rendezvousPoll(), settings.rendezvousTimeout())
          .await(dir, driver.transport(), instance::liveness);
      listener.rendezvousEnd();
      return a;
    } catch (SandboxException e) {
      listener.rendezvousFailed(e);
      throw new StepFailed(e);
    }
  }

  private GuestConnection handshake(SandboxDriver.Instance instance, RendezvousAddress address, Path dir,
      Nonce nonce) throws StepFailed {
    listener.handshakeStart();
    try (UnixPathAlias alias = UnixPathAlias.of(address.resolve(dir))) {
      GuestConnection c = GuestConnection.open(alias.address(), nonce, GuestConnection.DEFAULT_TIMEOUT);
      listener.handshakeEnd();
      return c;
    } catch (IOException e) {
      SandboxDriver.Liveness live = instance.liveness();
      SandboxException se = new SandboxException(FailurePhase.POST_LAUNCH_FAILED,
          "could not connect to the guest agent at " + address + ": " + e.getMessage(),
          live.alive() ? "the sandbox is still running" : live.diagnostics(), e);
      listener.handshakeFailed(se);
      throw new StepFailed(se);
    }
  }

  private ExecutionResult exec(GuestConnection conn, String execId) throws InterruptedException {
    listener.execStart();
    ExecOutcome o = new OneShotExec().execute(conn, execId, request.commandLine(), request.workingDirectory(),
        request.timeoutMillisOnWire(), request.stdin().orElse(null), request.stdout().orElse(null),
        request.stderr().orElse(null));
    ExecutionResult r = ResultMapper.map(o, "");
    if (o.kind() == ExecOutcome.Kind.FAILED) {
      listener.execFailed(new SandboxException(r.failurePhase(), r.errorMessage(), r.extendedError()));
    } else {
      listener.execEnd(r);
    }
    return r;
  }

  private ExecutionResult teardown(TeardownGuard guard, Path guardDir, SandboxDriver.Instance instance,
      ExecutionResult r) {
    listener.teardownStart();
    Optional<TeardownOutcome> outcome;
    try {
      outcome = guard.teardown(teardownBudget);
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
      return r;
    }
    String what = outcome.get() instanceof TeardownOutcome.NotOwned
        ? "the launch failed midway, so nothing was killed (ownership unknown); the run dir " + guardDir
            + " and its marker are kept until a run or `sandboxkit cleanup` after this process has exited"
            + " reconciles them"
        : "the sandbox could not be confirmed gone (" + outcome.get() + "); its marker in " + guardDir
            + " is kept and the next run reclaims it";
    listener.teardownFailed(new SandboxException(FailurePhase.POST_LAUNCH_FAILED, what, ""));
    return withNote(r, what);
  }

  private void checkFrameSize(String execId) throws SandboxException {
    try {
      FrameCodec.encode(new ControlMessage.Exec(execId, request.commandLine(), request.workingDirectory(),
          request.timeoutMillisOnWire()));
    } catch (FrameTooLongException e) {
      throw new SandboxException(FailurePhase.REJECTED,
          "the command line is too long for one control frame (limit " + FrameCodec.MAX_FRAME_LENGTH + " bytes)",
          e.getMessage() + "; pass large inputs through stdin or a mapped folder");
    }
  }

  private ExecutionResult failPrepare(SandboxException e) {
    listener.prepareFailed(e);
    return withNote(ExecutionResult.failure(e), leftovers.note());
  }

  private ExecutionResult internalError(RuntimeException e) {
    Log.LOG.log(System.Logger.Level.ERROR, "internal error in the one-shot runner", e);
    return ExecutionResult.failure(new SandboxException(FailurePhase.POST_LAUNCH_FAILED,
        "internal error: " + e.getClass().getSimpleName() + ": " + e.getMessage(),
        "this is a sandboxkit bug; please report it with the log"));
  }

  static ExecutionResult withNote(ExecutionResult r, String note) {
    if (note == null || note.isEmpty()) {
      return r;
    }
    return new ExecutionResult(r.exitCode(), r.stdout(), r.stderr(), r.errorMessage(),
        ResultMapper.join(r.extendedError(), note), r.failurePhase());
  }

  /** {@code sandboxkit cleanup}: slot, then reconcile only. */
  public static String cleanup(SandboxDriver driver, RunSettings settings) throws SandboxException {
    Optional<HostSlot.Lease> lease;
    try {
      lease = driver.hostSlot().tryAcquire(SLOT_WAIT);
    } catch (IOException e) {
      throw new SandboxException(FailurePhase.LAUNCH_FAILED, "could not take the host slot", e.getMessage(), e);
    }
    if (lease.isEmpty()) {
      throw new SandboxException(FailurePhase.LAUNCH_FAILED, "a " + driver.name() + " sandbox is running",
          "retry when it has finished");
    }
    try (HostSlot.Lease held = lease.get()) {
      MarkerStore store = new MarkerStore(settings.stateRoot());
      store.secureRoot();
      ReconcileResult rr = driver.reconcile(store, settings.forceReclaim());
      if (rr instanceof ReconcileResult.Busy) {
        throw new SandboxException(FailurePhase.LAUNCH_FAILED, ((ReconcileResult.Busy) rr).message(), "");
      }
      ReconcileResult.Proceed p = (ReconcileResult.Proceed) rr;
      return "removed " + p.cleared().size() + " leftover run dir(s) under " + store.root()
          + p.note().map(n -> "; " + n).orElse("");
    } catch (IOException e) {
      throw new SandboxException(FailurePhase.LAUNCH_FAILED, "cannot open the state directory "
          + settings.stateRoot(), e.getMessage(), e);
    }
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
