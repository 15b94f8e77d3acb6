package dev.sandboxkit.lifecycle.internal.controlplane;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * The host-wide slot a sandbox owner holds for the whole lifetime of its sandbox.
 *
 * <p>Windows Sandbox is a machine-wide singleton, so its driver implements this with the named mutex
 * {@code Local\wxc-wsb-vm}. Bubblewrap sandboxes are independent, so that driver uses {@link #NONE}
 * and parallel runs are allowed.
 */
public interface HostSlot {

  /** A slot that always acquires immediately (no exclusion). */
  HostSlot NONE = wait -> Optional.of(() -> { });

  /**
   * Waits up to {@code wait} for the slot.
   *
   * @return the lease, or empty when another owner holds the slot past the wait (contention is not an error)
   * @throws IOException when the slot itself fails (kept distinct from contention)
   */
  Optional<Lease> tryAcquire(Duration wait) throws IOException;

  /** A held slot; {@link #close()} releases it and is idempotent. */
  @FunctionalInterface
  interface Lease extends AutoCloseable {
    @Override
    void close();
  }
}
