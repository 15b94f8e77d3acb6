package dev.sandboxkit.lifecycle.hardening;

import dev.sandboxkit.lifecycle.internal.vm.DriverSpi;
import dev.sandboxkit.lifecycle.ExecutionRequest;
import dev.sandboxkit.lifecycle.ExecutionResult;
import dev.sandboxkit.OneShotRunner;
import dev.sandboxkit.lifecycle.SandboxDriver;
import dev.sandboxkit.SandboxDrivers;
import dev.sandboxkit.lifecycle.SandboxException;
import dev.sandboxkit.lifecycle.SandboxListener;
import dev.sandboxkit.lifecycle.SandboxPolicy;
import dev.sandboxkit.lifecycle.internal.controlplane.HostSlot;
import dev.sandboxkit.lifecycle.internal.controlplane.VmProcId;
import dev.sandboxkit.lifecycle.internal.policy.PolicyPlan;
import dev.sandboxkit.lifecycle.internal.teardown.MarkerStore;
import dev.sandboxkit.lifecycle.internal.teardown.ReconcileResult;
import dev.sandboxkit.lifecycle.internal.teardown.SandboxKiller;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A host process for the hardening tests that must kill or starve the host: runs one one-shot on
 * bubblewrap with captured output and prints {@code STEP <name>} (flushed) at every lifecycle step,
 * then {@code RESULT exit=.. phase=.. stdout=<bytes> error=<message>}.
 *
 * <p>Usage: {@code ChildRunner STATE_ROOT BLOCK_AT COMMAND}. When a step named BLOCK_AT is
 * reached the process prints it and then blocks forever, so a test can SIGKILL it exactly there.
 * Besides the listener steps there is {@code proofStart}: the sandbox is launched but its ownership
 * proof is not yet captured (reported from a delegating driver, as the listener has no such step).
 */
public final class ChildRunner {
  private static String blockAt = "-";

  private ChildRunner() {}

  public static void main(String[] args) {
    Path state = Path.of(args[0]);
    blockAt = args[1];
    String command = args[2];
    SandboxDriver driver = new StepReportingDriver(SandboxDrivers.byName("bubblewrap"));
    OneShotRunner runner =
        OneShotRunner.builder(driver).stateRoot(state).listener(new StepPrinter()).build();
    ExecutionResult r = runner.run(ExecutionRequest.builder(command).build());
    System.out.println("RESULT exit=" + r.exitCode() + " phase=" + r.failurePhase() + " stdout="
        + r.stdout().length + " error=" + r.errorMessage());
    System.out.flush();
  }

  static void step(String name) {
    System.out.println("STEP " + name);
    System.out.flush();
    if (name.equals(blockAt)) {
      while (true) {
        try {
          Thread.sleep(Duration.ofHours(1).toMillis());
        } catch (InterruptedException e) {
          // keep blocking: only SIGKILL ends this process
        }
      }
    }
  }

  private static final class StepPrinter implements SandboxListener {
    @Override public void prepareStart(String sandboxId) { step("prepareStart"); }
    @Override public void prepareEnd(String sandboxId) { step("prepareEnd"); }
    @Override public void prepareFailed(String sandboxId, SandboxException e) { step("prepareFailed"); }
    @Override public void launchStart(String sandboxId) { step("launchStart"); }
    @Override public void launchEnd(String sandboxId) { step("launchEnd"); }
    @Override public void launchFailed(String sandboxId, SandboxException e) { step("launchFailed"); }
    @Override public void rendezvousStart(String sandboxId) { step("rendezvousStart"); }
    @Override public void rendezvousEnd(String sandboxId) { step("rendezvousEnd"); }
    @Override public void rendezvousFailed(String sandboxId, SandboxException e) { step("rendezvousFailed"); }
    @Override public void handshakeStart(String sandboxId) { step("handshakeStart"); }
    @Override public void handshakeEnd(String sandboxId) { step("handshakeEnd"); }
    @Override public void handshakeFailed(String sandboxId, SandboxException e) { step("handshakeFailed"); }
    @Override public void execStart(String sandboxId, String executionId) { step("execStart"); }
    @Override public void execEnd(String sandboxId, String executionId, ExecutionResult result) { step("execEnd"); }
    @Override public void execFailed(String sandboxId, String executionId, SandboxException e) { step("execFailed"); }
    @Override public void teardownStart(String sandboxId) { step("teardownStart"); }
    @Override public void teardownEnd(String sandboxId) { step("teardownEnd"); }
    @Override public void teardownFailed(String sandboxId, SandboxException e) { step("teardownFailed"); }
  }

  /** Delegates everything; reports {@code proofStart} between launch and proof capture. */
  private static final class StepReportingDriver implements DriverSpi {
    private final DriverSpi d;

    StepReportingDriver(SandboxDriver d) {
      this.d = (DriverSpi) d;
    }

    @Override public dev.sandboxkit.lifecycle.internal.vm.GuestPlatform platform() { return d.platform(); }

    @Override public String name() { return d.name(); }
    @Override public List<Check> prerequisites() { return d.prerequisites(); }
    @Override public PolicyPlan checkEnforceable(SandboxPolicy p) throws SandboxException { return d.checkEnforceable(p); }
    @Override public HostSlot hostSlot() { return d.hostSlot(); }
    @Override public SandboxKiller killer() { return d.killer(); }
    @Override public ReconcileResult reconcile(MarkerStore s, boolean force) { return d.reconcile(s, force); }
    @Override public Transport transport() { return d.transport(); }
    @Override public Duration teardownPoll() { return d.teardownPoll(); }

    @Override
    public Instance prepare(Launch launch) throws SandboxException {
      Instance i = d.prepare(launch);
      return new Instance() {
        @Override public void launch() throws SandboxException { i.launch(); }
        @Override public Liveness liveness() { return i.liveness(); }
        @Override public Path rendezvousView(Path hostDir) throws SandboxException { return i.rendezvousView(hostDir); }
        @Override public void onExit(Runnable action) { i.onExit(action); }
        @Override public long oomKills() { return i.oomKills(); }
        @Override public List<VmProcId> refreshProof(List<VmProcId> proof) { return i.refreshProof(proof); }
        @Override public void close() { i.close(); }

        @Override
        public List<VmProcId> captureProof() throws SandboxException {
          step("proofStart");
          return i.captureProof();
        }
      };
    }
  }
}
