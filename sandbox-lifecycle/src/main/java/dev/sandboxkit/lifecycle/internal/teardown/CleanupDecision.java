package dev.sandboxkit.lifecycle.internal.teardown;

import dev.sandboxkit.lifecycle.internal.controlplane.VmProcId;
import java.util.List;

/** Result of {@link Decisions#decideCleanup(VmOwnership)} (§3.2). */
public sealed interface CleanupDecision {

  /** Nothing was launched: nothing to do. */
  record Noop() implements CleanupDecision {
  }

  /** A launch was in flight: ownership is ambiguous, leave the sandbox (and the marker) alone. */
  record LeakUnowned() implements CleanupDecision {
  }

  /**
   * Tear down, starting from {@code seed} (empty = enumerate the live set).
   *
   * @param seed the recorded proof, or empty
   */
  record Teardown(List<VmProcId> seed) implements CleanupDecision {
    public Teardown {
      seed = List.copyOf(seed);
    }
  }
}
