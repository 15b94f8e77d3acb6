package dev.sandboxkit.lifecycle.internal.vm.windows;

import dev.sandboxkit.lifecycle.internal.controlplane.HostSnapshot;
import dev.sandboxkit.lifecycle.internal.controlplane.VmProcId;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Captures ownership proof after a launch (§3.1 step 3): polls the {@code WindowsSandbox*} snapshot
 * every {@link #DEFAULT_POLL} for up to {@link #DEFAULT_TIMEOUT}; the first non-empty identified set
 * wins. Probe failures are skipped (the next poll may succeed).
 */
final class ProofCapture {
  static final Duration DEFAULT_POLL = Duration.ofMillis(500);
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private ProofCapture() {}

  /**
   * @return the identities seen (never empty), or empty when nothing was seen before the deadline
   *     or the thread was interrupted (flag restored)
   */
  static Optional<List<VmProcId>> capture(
      Supplier<Optional<HostSnapshot>> snapshot, Duration poll, Duration timeout, Timing timing) {
    long deadline = timing.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<HostSnapshot> s = snapshot.get();
      if (s.isPresent() && !s.get().identified().isEmpty()) {
        return Optional.of(s.get().identified());
      }
      long left = deadline - timing.nanoTime();
      if (left <= 0) {
        return Optional.empty();
      }
      try {
        timing.sleep(Duration.ofNanos(Math.min(poll.toNanos(), left)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
  }
}
