package dev.sandboxkit.lifecycle.internal.teardown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.lifecycle.internal.controlplane.HostSnapshot;
import dev.sandboxkit.lifecycle.internal.controlplane.JdkProcessProbe;
import dev.sandboxkit.lifecycle.internal.controlplane.VmProcId;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

@Timeout(30)
class BlockingTeardownTest {

  static final VmProcId A = new VmProcId(100, 5);
  static final VmProcId FOREIGN = new VmProcId(300, 1);

  @Test
  void confirmedGoneAfterKill() {
    FakeKiller host = new FakeKiller().live(A);
    assertEquals(TeardownOutcome.CONFIRMED_GONE,
        BlockingTeardown.killAndAwait(host, List.of(A), Duration.ofSeconds(5), Duration.ofMillis(10)));
  }

  @Test
  void goneIsJudgedByIdentityNotByOtherLiveProcesses() {
    FakeKiller host = new FakeKiller().live(A, FOREIGN);
    assertEquals(TeardownOutcome.CONFIRMED_GONE,
        BlockingTeardown.killAndAwait(host, List.of(A), Duration.ofSeconds(5), Duration.ofMillis(10)));
    assertEquals(List.of(A), host.killed());
  }

  @Test
  void survivorAtDeadlineIsStillRunning() {
    FakeKiller host = new FakeKiller().live(A);
    host.unkillable.add(A);
    assertEquals(new TeardownOutcome.StillRunning(List.of(A)),
        BlockingTeardown.killAndAwait(host, List.of(A), Duration.ofMillis(100), Duration.ofMillis(10)));
  }

  @Test
  void failedProbeAtDeadlineIsProbeFailed() {
    FakeKiller host = new FakeKiller().live(A);
    host.livenessFails = true;
    TeardownOutcome o = BlockingTeardown.killAndAwait(host, List.of(A), Duration.ofMillis(50), Duration.ofMillis(10));
    assertTrue(assertInstanceOf(TeardownOutcome.ProbeFailed.class, o).detail().contains("50 ms"));
  }

  @Test
  void transientProbeFailureThenGoneIsConfirmedGone() {
    AtomicInteger calls = new AtomicInteger();
    SandboxKiller flaky = new SandboxKiller() {
      @Override
      public Optional<HostSnapshot> snapshot() {
        return Optional.of(HostSnapshot.EMPTY);
      }

      @Override
      public int terminate(List<VmProcId> targets) {
        return targets.size();
      }

      @Override
      public Optional<List<VmProcId>> stillRunning(List<VmProcId> killSet) {
        return calls.incrementAndGet() < 3 ? Optional.empty() : Optional.of(List.of());
      }
    };
    assertEquals(TeardownOutcome.CONFIRMED_GONE,
        BlockingTeardown.killAndAwait(flaky, List.of(A), Duration.ofSeconds(5), Duration.ofMillis(10)));
  }

  @Test
  void interruptEndsTheWaitEarlyAndKeepsTheFlag() {
    FakeKiller host = new FakeKiller().live(A);
    host.unkillable.add(A);
    Thread.currentThread().interrupt();
    try {
      assertEquals(new TeardownOutcome.StillRunning(List.of(A)),
          BlockingTeardown.killAndAwait(host, List.of(A), Duration.ofSeconds(20), Duration.ofMillis(10)));
      assertTrue(Thread.currentThread().isInterrupted());
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void waitsStayAtOneMillisecondDuringTheFastPhaseThenBackOff() {
    long fast = BlockingTeardown.FAST_PHASE_MS * 1_000_000 - 1;
    assertEquals(1L, BlockingTeardown.pauseAfter(1, 20, 0));
    assertEquals(1L, BlockingTeardown.pauseAfter(1, 20, fast));
    assertEquals(1L, BlockingTeardown.pauseAfter(8, 20, fast), "a wait that grew goes back to 1 ms");
    long late = BlockingTeardown.FAST_PHASE_MS * 1_000_000;
    assertEquals(2L, BlockingTeardown.pauseAfter(1, 20, late));
    assertEquals(20L, BlockingTeardown.pauseAfter(16, 20, late));
    assertEquals(1L, BlockingTeardown.pauseAfter(1, 1, late), "never beyond the poll");
  }

  @Test
  void waitsBackOffFromOneMillisecondToThePoll() {
    List<Long> pauses = new java.util.ArrayList<>();
    long p = BlockingTeardown.FIRST_PAUSE_MS;
    for (int i = 0; i < 8; i++) {
      pauses.add(p);
      p = BlockingTeardown.nextPause(p, 20);
    }
    assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 20L, 20L, 20L), pauses);
    assertEquals(750L, BlockingTeardown.nextPause(512, 750));
  }

  @Test
  void manyProbesBeforeGoneStillEndConfirmedGone() {
    AtomicInteger probes = new AtomicInteger();
    SandboxKiller slow = new SandboxKiller() {
      @Override
      public Optional<HostSnapshot> snapshot() {
        return Optional.of(HostSnapshot.EMPTY);
      }

      @Override
      public int terminate(List<VmProcId> targets) {
        return targets.size();
      }

      @Override
      public Optional<List<VmProcId>> stillRunning(List<VmProcId> killSet) {
        return Optional.of(probes.incrementAndGet() < 8 ? killSet : List.of());
      }
    };
    assertEquals(TeardownOutcome.CONFIRMED_GONE,
        BlockingTeardown.killAndAwait(slow, List.of(A), Duration.ofSeconds(20), Duration.ofMillis(20)));
    assertEquals(8, probes.get());
  }

  @Test
  @DisabledOnOs(OS.WINDOWS)
  void realChildIsConfirmedGoneWithALongPoll() throws Exception {
    Process child = new ProcessBuilder("sleep", "60").start();
    try {
      VmProcId id = VmProcId.of(child.toHandle()).orElseThrow();
      SandboxKiller killer = SandboxKiller.identityOnly(JdkProcessProbe.INSTANCE);
      assertEquals(TeardownOutcome.CONFIRMED_GONE,
          BlockingTeardown.killAndAwait(killer, List.of(id), Duration.ofSeconds(20), Duration.ofSeconds(10)));
      assertTrue(child.waitFor(5, java.util.concurrent.TimeUnit.SECONDS), "the JDK reaps it too");
    } finally {
      child.destroyForcibly();
    }
  }
}
