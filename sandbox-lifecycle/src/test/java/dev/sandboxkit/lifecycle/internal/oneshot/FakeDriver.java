package dev.sandboxkit.lifecycle.internal.oneshot;

import dev.sandboxkit.lifecycle.internal.vm.DriverSpi;
import dev.sandboxkit.lifecycle.NetworkAccess;
import dev.sandboxkit.lifecycle.SandboxDriver;
import dev.sandboxkit.lifecycle.SandboxException;
import dev.sandboxkit.lifecycle.SandboxPolicy;
import dev.sandboxkit.lifecycle.internal.controlplane.HostSlot;
import dev.sandboxkit.lifecycle.internal.controlplane.HostSnapshot;
import dev.sandboxkit.lifecycle.internal.controlplane.VmProcId;
import dev.sandboxkit.lifecycle.internal.policy.PolicyPlan;
import dev.sandboxkit.lifecycle.internal.teardown.MarkerStore;
import dev.sandboxkit.lifecycle.internal.teardown.ReconcileResult;
import dev.sandboxkit.lifecycle.internal.teardown.SandboxKiller;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link SandboxDriver} without bwrap: "launch" adds a fake process identity to an in-memory host,
 * the killer removes it. Every step can be told to fail. Used to test the runner's own error paths.
 */
class FakeDriver implements DriverSpi {
  /** The fake sandbox process a successful launch starts. */
  static final VmProcId SANDBOX = new VmProcId(4242, 77);

  // --- configuration -------------------------------------------------------------------------
  HostSlot slot = HostSlot.NONE;
  ReconcileResult reconcile = new ReconcileResult.Proceed(Optional.empty(), List.of());
  SandboxException prepareThrows;
  SandboxException launchThrows;
  /** What the instance answers to mayHaveStarted() (the SPI default is true). */
  boolean mayHaveStarted = true;
  RuntimeException launchThrowsRuntime;
  SandboxException proofThrows;
  RuntimeException proofThrowsRuntime;
  /** Liveness during the rendezvous wait; null = alive. */
  String deadWithDiagnostics;
  boolean snapshotFails;
  boolean livenessProbeFails;
  RuntimeException reconcileThrowsRuntime;
  final Set<VmProcId> unkillable = new LinkedHashSet<>();

  // --- observations --------------------------------------------------------------------------
  final Set<VmProcId> live = Collections.synchronizedSet(new LinkedHashSet<>());
  final List<String> calls = Collections.synchronizedList(new ArrayList<>());
  final List<List<VmProcId>> terminated = Collections.synchronizedList(new ArrayList<>());
  volatile Launch lastLaunch;
  /** The store reconcile() was handed, and whether our marker (with the proof) was on disk then. */
  volatile MarkerStore reconcileStore;
  volatile boolean liveAtReconcile;
  volatile boolean instanceClosed;

  @Override
  public String name() {
    return "fake";
  }

  @Override
  public List<Check> prerequisites() {
    return List.of(new Check("fake", true, "always", ""));
  }

  @Override
  public PolicyPlan checkEnforceable(SandboxPolicy policy) {
    calls.add("checkEnforceable");
    return new PolicyPlan(List.of(), List.of(), NetworkAccess.BLOCK);
  }

  @Override
  public HostSlot hostSlot() {
    return slot;
  }

  @Override
  public SandboxKiller killer() {
    return new SandboxKiller() {
      @Override
      public Optional<HostSnapshot> snapshot() {
        calls.add("snapshot");
        return snapshotFails ? Optional.empty() : Optional.of(HostSnapshot.of(List.copyOf(live)));
      }

      @Override
      public int terminate(List<VmProcId> targets) {
        calls.add("terminate");
        terminated.add(List.copyOf(targets));
        int n = 0;
        for (VmProcId t : targets) {
          if (!unkillable.contains(t) && live.remove(t)) {
            n++;
          }
        }
        return n;
      }

      @Override
      public Optional<List<VmProcId>> stillRunning(List<VmProcId> killSet) {
        if (livenessProbeFails) {
          return Optional.empty();
        }
        return Optional.of(killSet.stream().filter(live::contains).toList());
      }
    };
  }

  @Override
  public ReconcileResult reconcile(MarkerStore store, boolean forceReclaim) {
    calls.add("reconcile");
    reconcileStore = store;
    liveAtReconcile = live.contains(SANDBOX);
    if (reconcileThrowsRuntime != null) {
      throw reconcileThrowsRuntime;
    }
    return reconcile;
  }

  @Override
  public Instance prepare(Launch launch) throws SandboxException {
    calls.add("prepare");
    lastLaunch = launch;
    if (prepareThrows != null) {
      throw prepareThrows;
    }
    return new Instance() {
      @Override
      public java.nio.file.Path rendezvousView(java.nio.file.Path hostDir) {
        return hostDir;
      }

      @Override
      public void launch() throws SandboxException {
        calls.add("launch");
        if (launchThrowsRuntime != null) {
          live.add(SANDBOX); // started, then the driver blew up
          throw launchThrowsRuntime;
        }
        if (launchThrows != null) {
          throw launchThrows;
        }
        live.add(SANDBOX);
      }

      @Override
      public boolean mayHaveStarted() {
        return mayHaveStarted;
      }

      @Override
      public List<VmProcId> captureProof() throws SandboxException {
        calls.add("captureProof");
        if (proofThrows != null) {
          throw proofThrows;
        }
        if (proofThrowsRuntime != null) {
          throw proofThrowsRuntime;
        }
        return List.of(SANDBOX);
      }

      @Override
      public Liveness liveness() {
        return deadWithDiagnostics == null ? Liveness.ALIVE : new Liveness(false, deadWithDiagnostics);
      }

      @Override
      public void close() {
        calls.add("close");
        instanceClosed = true;
      }
    };
  }

  @Override
  public dev.sandboxkit.lifecycle.internal.vm.GuestPlatform platform() {
    return dev.sandboxkit.lifecycle.internal.vm.GuestPlatform.POSIX;
  }

  @Override
  public Transport transport() {
    return Transport.UNIX;
  }

  @Override
  public Duration teardownPoll() {
    return Duration.ofMillis(5);
  }
}
