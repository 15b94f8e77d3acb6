package dev.sandboxkit.lifecycle.internal.vm.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.lifecycle.internal.controlplane.HostSnapshot;
import dev.sandboxkit.lifecycle.internal.controlplane.VmProcId;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ProofCaptureTest {
  private final FakeTiming timing = new FakeTiming();

  @Test
  void defaultsAre500msFor30s() {
    assertEquals(Duration.ofMillis(500), ProofCapture.DEFAULT_POLL);
    assertEquals(Duration.ofSeconds(30), ProofCapture.DEFAULT_TIMEOUT);
  }

  @Test
  void firstNonEmptySnapshotWins() {
    AtomicInteger calls = new AtomicInteger();
    List<VmProcId> ids = List.of(new VmProcId(7, 70), new VmProcId(8, 80));
    Optional<List<VmProcId>> proof = ProofCapture.capture(
        () -> calls.incrementAndGet() < 4 ? Optional.of(HostSnapshot.EMPTY) : Optional.of(HostSnapshot.of(ids)),
        ProofCapture.DEFAULT_POLL, ProofCapture.DEFAULT_TIMEOUT, timing);
    assertEquals(Optional.of(ids), proof);
    assertEquals(4, calls.get());
    assertEquals(List.of(Duration.ofMillis(500), Duration.ofMillis(500), Duration.ofMillis(500)), timing.sleeps);
  }

  @Test
  void probeFailuresAndUnidentifiableOnlySnapshotsKeepPolling() {
    AtomicInteger calls = new AtomicInteger();
    VmProcId id = new VmProcId(7, 70);
    Optional<List<VmProcId>> proof = ProofCapture.capture(() -> {
      int n = calls.incrementAndGet();
      if (n == 1) {
        return Optional.empty();
      }
      if (n == 2) {
        return Optional.of(new HostSnapshot(List.of(), List.of(9L)));
      }
      return Optional.of(HostSnapshot.of(List.of(id)));
    }, ProofCapture.DEFAULT_POLL, ProofCapture.DEFAULT_TIMEOUT, timing);
    assertEquals(Optional.of(List.of(id)), proof);
    assertEquals(3, calls.get());
  }

  @Test
  void givesUpAfterTheTimeoutWithoutOverrunning() {
    AtomicInteger calls = new AtomicInteger();
    Optional<List<VmProcId>> proof = ProofCapture.capture(() -> {
      calls.incrementAndGet();
      return Optional.of(HostSnapshot.EMPTY);
    }, ProofCapture.DEFAULT_POLL, ProofCapture.DEFAULT_TIMEOUT, timing);
    assertTrue(proof.isEmpty());
    assertEquals(61, calls.get(), "t = 0, 0.5, ..., 30 s");
    assertEquals(Duration.ofSeconds(30), timing.total());
  }

  @Test
  void anInterruptEndsTheCaptureAndKeepsTheFlag() {
    Thread.currentThread().interrupt();
    try {
      assertTrue(ProofCapture.capture(() -> Optional.of(HostSnapshot.EMPTY), ProofCapture.DEFAULT_POLL,
          ProofCapture.DEFAULT_TIMEOUT, timing).isEmpty());
      assertTrue(Thread.currentThread().isInterrupted());
    } finally {
      Thread.interrupted();
    }
  }
}
