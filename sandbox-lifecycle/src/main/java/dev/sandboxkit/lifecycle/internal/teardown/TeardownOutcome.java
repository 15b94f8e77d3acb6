package dev.sandboxkit.lifecycle.internal.teardown;

import dev.sandboxkit.lifecycle.internal.controlplane.VmProcId;
import java.util.List;

/**
 * How a teardown ended (§5.5). Only {@link ConfirmedGone} allows deleting a durable record (the
 * marker); every other outcome keeps it for the next run's reconcile.
 */
public sealed interface TeardownOutcome {

  ConfirmedGone CONFIRMED_GONE = new ConfirmedGone();

  /** Every process we own has exited (or we never launched one). The marker was removed. */
  record ConfirmedGone() implements TeardownOutcome {
  }

  /**
   * The budget ran out while these processes were still alive; the marker is kept.
   *
   * @param remaining the identities still running at the deadline
   */
  record StillRunning(List<VmProcId> remaining) implements TeardownOutcome {
    public StillRunning {
      remaining = List.copyOf(remaining);
    }
  }

  /**
   * Liveness could not be determined; the marker is kept.
   *
   * @param detail what failed
   */
  record ProbeFailed(String detail) implements TeardownOutcome {
  }

  /**
   * A launch was in flight, so ownership is ambiguous: nothing was killed and the marker is kept
   * for reconcile (the reference's "LeakUnowned").
   */
  record NotOwned() implements TeardownOutcome {
  }

  /** True only for {@link ConfirmedGone}. */
  default boolean confirmedGone() {
    return this instanceof ConfirmedGone;
  }
}
