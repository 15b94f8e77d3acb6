package dev.sandboxkit.lifecycle.internal.teardown;

import dev.sandboxkit.lifecycle.internal.controlplane.HostSnapshot;
import dev.sandboxkit.lifecycle.internal.controlplane.ProcessProbe;
import dev.sandboxkit.lifecycle.internal.controlplane.VmProcId;
import dev.sandboxkit.lifecycle.internal.teardown.ReconcileDecision.BusyReason;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Cleans up after earlier runs before a launch (docs/control-plane.md §4.4, §4.5).
 *
 * <p>{@link #reconcileSingleton(boolean)} is the Windows Sandbox form (one VM per host, the decision
 * table of §4.3). {@link #reconcileIndependent()} is the bubblewrap form: sandboxes are independent,
 * so every run dir whose launcher is dead has its own proof killed and its dir cleared, and other
 * live runs never block a launch. Both collect markerless scratch dirs afterwards ({@link ScratchGc}).
 * Call them with the root secured ({@link MarkerStore#secureRoot()}) and, for the singleton form,
 * while holding the host slot.
 */
public final class Reconciler {

  /** The logger, created on first use: the launch path never starts the logging backend. */
  private static final class Log {
    static final System.Logger LOG = System.getLogger(Reconciler.class.getName());
  }

  private final MarkerStore store;
  private final SandboxKiller killer;
  private final ProcessProbe probe;
  private Duration budget = BlockingTeardown.DEFAULT_BUDGET;
  private Duration poll = BlockingTeardown.DEFAULT_POLL;
  private Duration gcAge = ScratchGc.DEFAULT_MIN_AGE;
  private Clock clock = Clock.systemUTC();

  /**
   * @param store the marker root
   * @param killer finds, kills and confirms sandbox processes
   * @param probe judges whether a marker's launcher is strongly alive
   */
  public Reconciler(MarkerStore store, SandboxKiller killer, ProcessProbe probe) {
    this.store = store;
    this.killer = killer;
    this.probe = probe;
  }

  /** Teardown budget and poll for reclaims (default 30 s / 750 ms). */
  public Reconciler withTeardown(Duration budget, Duration poll) {
    this.budget = budget;
    this.poll = poll;
    return this;
  }

  /** Minimum age of markerless dirs before GC (default 120 s) and the clock that judges it. */
  public Reconciler withGc(Duration minAge, Clock clock) {
    this.gcAge = minAge;
    this.clock = clock;
    return this;
  }

  /** The marker states of every marker dir (an unreadable marker is a dead launcher with no proof). */
  public List<MarkerState> markerStates() {
    List<MarkerState> states = new ArrayList<>();
    for (Path dir : store.listMarkerDirs()) {
      Marker m = store.readLenient(dir).orElse(new Marker(0, null, List.of()));
      states.add(new MarkerState(dir, Decisions.launcherStronglyAlive(m, probe), m.vmProcesses()));
    }
    return states;
  }

  /** Singleton reconcile (§4.3 decision, §4.4 actions). */
  public ReconcileResult reconcileSingleton(boolean force) {
    List<MarkerState> markers = markerStates();
    Optional<HostSnapshot> snapshot = killer.snapshot();
    ReconcileDecision decision = Decisions.classifyReconcile(snapshot, markers, force);
    if (decision instanceof ReconcileDecision.Busy busy) {
      return new ReconcileResult.Busy(busy.reason(), busy.message());
    }
    if (decision instanceof ReconcileDecision.Proceed) {
      return proceed(clearDead(markers), Optional.empty());
    }
    List<VmProcId> live = snapshot.map(HostSnapshot::identified).orElse(List.of());
    boolean forced = decision instanceof ReconcileDecision.ForceReclaimThenProceed;
    List<VmProcId> seed = forced ? ((ReconcileDecision.ForceReclaimThenProceed) decision).snapshot()
        : ((ReconcileDecision.ReclaimThenProceed) decision).proof();
    if (forced) {
      Log.LOG.log(System.Logger.Level.WARNING, "--force-reclaim: tearing down an unprovable sandbox {0};"
          + " this may kill a foreign sandbox", Decisions.pids(seed));
    } else {
      Log.LOG.log(System.Logger.Level.WARNING, "reclaiming an orphaned sandbox {0} from a prior run", Decisions.pids(seed));
    }
    List<VmProcId> killSet = Decisions.planKillSet(new VmOwnership.Owned(seed), live).orElse(seed);
    TeardownOutcome outcome = BlockingTeardown.killAndAwait(killer, killSet, budget, poll);
    String what = forced ? "--force-reclaim failed to tear down an unprovable sandbox"
        : "failed to tear down an orphaned sandbox of a prior run";
    if (outcome instanceof TeardownOutcome.StillRunning still) {
      return new ReconcileResult.Busy(BusyReason.RECLAIM_FAILED, what + " (" + still.remaining().size()
          + " host process(es) still alive: " + Decisions.pids(still.remaining()) + "); retry, or end them manually");
    }
    if (!outcome.confirmedGone()) {
      return new ReconcileResult.Busy(BusyReason.RECLAIM_FAILED, what + " (liveness probe failed); retry");
    }
    List<Path> cleared = clearDead(markers);
    String note = forced ? "force-reclaimed an unprovable sandbox (--force-reclaim)"
        : "reclaimed an orphaned disposable sandbox from a prior run (" + cleared.size()
            + " stale marker dir(s) cleaned)";
    return proceed(cleared, Optional.of(note));
  }

  /**
   * Independent-sandbox reconcile: for every marker dir whose launcher is not strongly alive, kill
   * the recorded proof that is still running (identity-checked), and clear the dir once nothing of
   * it runs. A dir whose processes survive or cannot be probed is kept (named in the note); it never
   * blocks this launch.
   */
  public ReconcileResult.Proceed reconcileIndependent() {
    List<Path> cleared = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    int reclaimed = 0;
    for (MarkerState m : markerStates()) {
      if (m.launcherStronglyAlive()) {
        continue;
      }
      Optional<List<VmProcId>> alive = m.proof().isEmpty() ? Optional.of(List.of()) : killer.stillRunning(m.proof());
      TeardownOutcome outcome;
      if (alive.isEmpty()) {
        outcome = new TeardownOutcome.ProbeFailed("liveness probe failed");
      } else if (alive.get().isEmpty()) {
        outcome = TeardownOutcome.CONFIRMED_GONE;
      } else {
        outcome = BlockingTeardown.killAndAwait(killer, alive.get(), budget, poll);
        if (outcome.confirmedGone()) {
          reclaimed++;
        }
      }
      if (outcome.confirmedGone()) {
        if (MarkerStore.clearMarkerDir(m.dir())) {
          cleared.add(m.dir());
        }
      } else {
        problems.add(m.dir().getFileName() + ": " + outcome);
      }
    }
    Optional<String> note = Optional.empty();
    if (reclaimed > 0 || !problems.isEmpty()) {
      note = Optional.of("reconciled prior runs: " + reclaimed + " orphaned sandbox(es) reclaimed, "
          + cleared.size() + " run dir(s) cleaned"
          + (problems.isEmpty() ? "" : "; kept (not confirmed gone): " + problems));
    }
    return proceed(cleared, note);
  }

  private List<Path> clearDead(List<MarkerState> markers) {
    List<Path> cleared = new ArrayList<>();
    for (MarkerState m : markers) {
      if (!m.launcherStronglyAlive() && MarkerStore.clearMarkerDir(m.dir())) {
        cleared.add(m.dir());
      }
    }
    return cleared;
  }

  private ReconcileResult.Proceed proceed(List<Path> cleared, Optional<String> note) {
    List<Path> all = new ArrayList<>(cleared);
    all.addAll(ScratchGc.collect(store, gcAge, clock));
    return new ReconcileResult.Proceed(note, all);
  }
}
