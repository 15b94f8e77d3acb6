package dev.sandboxkit.lifecycle.internal.teardown;

import dev.sandboxkit.lifecycle.internal.teardown.ReconcileDecision.BusyReason;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** What {@link Reconciler} did before a launch (§4.4). */
public sealed interface ReconcileResult {

  /**
   * Launch may go ahead.
   *
   * @param note what was reclaimed, for the result's extended error (empty when nothing notable)
   * @param cleared run dirs removed (dead markers and collected scratch dirs)
   */
  record Proceed(Optional<String> note, List<Path> cleared) implements ReconcileResult {
    public Proceed {
      cleared = List.copyOf(cleared);
    }
  }

  /**
   * Refuse to launch (touch nothing more).
   *
   * @param reason why
   * @param message what failed and what to do
   */
  record Busy(BusyReason reason, String message) implements ReconcileResult {
  }
}
