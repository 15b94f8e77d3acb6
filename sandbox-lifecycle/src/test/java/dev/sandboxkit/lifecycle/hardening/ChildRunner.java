package dev.sandboxkit.lifecycle.hardening;

import dev.sandboxkit.lifecycle.ExecutionRequest;
import dev.sandboxkit.lifecycle.ExecutionResult;
import dev.sandboxkit.lifecycle.OneShotRunner;
import dev.sandboxkit.lifecycle.SandboxDriver;
import dev.sandboxkit.lifecycle.SandboxDrivers;
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
    @Override public void prepareStart() { step("prepareStart"); }
    @Override public void prepareEnd() { step("prepareEnd"); }
    @Override public void prepareFailed(SandboxException e) { step("prepareFailed"); }
    @Override public void launchStart() { step("launchStart"); }
    @Override public void launchEnd() { step("launchEnd"); }
    @Override public void launchFailed(SandboxException e) { step("launchFailed"); }
    @Override public void rendezvousStart() { step("rendezvousStart"); }
    @Override public void rendezvousEnd() { step("rendezvousEnd"); }
    @Override public void rendezvousFailed(SandboxException e) { step("rendezvousFailed"); }
    @Override public void handshakeStart() { step("handshakeStart"); }
    @Override public void handshakeEnd() { step("handshakeEnd"); }
    @Override public void handshakeFailed(SandboxException e) { step("handshakeFailed"); }
    @Override public void execStart() { step("execStart"); }
    @Override public void execEnd(ExecutionResult result) { step("execEnd"); }
    @Override public void execFailed(SandboxException e) { step("execFailed"); }
    @Override public void teardownStart() { step("teardownStart"); }
    @Override public void teardownEnd() { step("teardownEnd"); }
    @Override public void teardownFailed(SandboxException e) { step("teardownFailed"); }
  }

  /** Delegates everything; reports {@code proofStart} between launch and proof capture. */
  private static final class StepReportingDriver implements SandboxDriver {
    private final SandboxDriver d;

    StepReportingDriver(SandboxDriver d) {
      this.d = d;
    }

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
