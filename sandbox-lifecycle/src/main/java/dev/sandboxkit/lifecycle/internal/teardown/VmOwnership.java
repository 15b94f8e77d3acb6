package dev.sandboxkit.lifecycle.internal.teardown;

import dev.sandboxkit.lifecycle.internal.controlplane.VmProcId;
import java.util.List;

/**
 * What this process may claim about the sandbox it launched (docs/control-plane.md §3.1).
 *
 * <pre>
 * NotLaunched --(just before spawning)--> LaunchInFlight --(launcher ok)--> LaunchSucceededNoProof
 * LaunchSucceededNoProof --(proof captured)--> Owned(proof)
 * </pre>
 * LaunchInFlight is ambiguous (a foreign sandbox may have won a race) and never tears anything down.
 */
public sealed interface VmOwnership {

  NotLaunched NOT_LAUNCHED = new NotLaunched();
  LaunchInFlight LAUNCH_IN_FLIGHT = new LaunchInFlight();
  LaunchSucceededNoProof LAUNCH_SUCCEEDED_NO_PROOF = new LaunchSucceededNoProof();

  /** Nothing spawned yet. */
  record NotLaunched() implements VmOwnership {
  }

  /** The launcher is being spawned; ownership unknown. */
  record LaunchInFlight() implements VmOwnership {
  }

  /** The launcher succeeded but no process identity was captured yet. */
  record LaunchSucceededNoProof() implements VmOwnership {
  }

  /**
   * We launched the sandbox and recorded these process identities.
   *
   * @param proof non-empty identities, in capture order
   */
  record Owned(List<VmProcId> proof) implements VmOwnership {
    public Owned {
      proof = List.copyOf(proof);
      if (proof.isEmpty()) {
        throw new IllegalArgumentException("Owned needs at least one process identity;"
            + " use LaunchSucceededNoProof when nothing was captured");
      }
    }
  }

  /** Convenience factory. */
  static Owned owned(List<VmProcId> proof) {
    return new Owned(proof);
  }
}
