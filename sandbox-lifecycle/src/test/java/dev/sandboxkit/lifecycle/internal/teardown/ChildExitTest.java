package dev.sandboxkit.lifecycle.internal.teardown;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.lifecycle.internal.controlplane.VmProcId;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

@Timeout(30)
class ChildExitTest {

  /** The wait is 60 s; only the child's exit can end it before the 30 s test timeout. */
  @Test
  @DisabledOnOs(OS.WINDOWS)
  void aChildsExitEndsTheWait() throws Exception {
    Process child = new ProcessBuilder("sleep", "60").start();
    try {
      VmProcId id = VmProcId.of(child.toHandle()).orElseThrow();
      CompletableFuture.runAsync(() -> {
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        child.destroyForcibly();
      });
      ChildExit.await(List.of(new VmProcId(0, 1), id), 60_000);
      assertTrue(child.waitFor(5, TimeUnit.SECONDS));
    } finally {
      child.destroyForcibly();
    }
  }

  @Test
  void nonChildrenAndUnknownPidsOnlySleep() throws InterruptedException {
    // pid 1 (not our child), this JVM and an unknown pid cannot end the wait: it lasts the whole time
    // (a sleep never ends early, so the lower bound is exact, not a timing guess).
    long self = ProcessHandle.current().pid();
    long t0 = System.nanoTime();
    ChildExit.await(List.of(new VmProcId(1, 1), new VmProcId(self, 1), new VmProcId(VmProcId.MAX_PID, 1)), 300);
    assertTrue(System.nanoTime() - t0 >= 300_000_000L, "woke early for a process that is not our child");
    t0 = System.nanoTime();
    ChildExit.await(List.of(), 0);
    assertTrue(System.nanoTime() - t0 >= 1_000_000L, "a wait is at least 1 ms (never a busy loop)");
  }

  @Test
  void anInterruptEndsTheWait() {
    Thread.currentThread().interrupt();
    try {
      org.junit.jupiter.api.Assertions.assertThrows(InterruptedException.class,
          () -> ChildExit.await(List.of(), 60_000));
      assertFalse(Thread.currentThread().isInterrupted(), "the exception carries the interrupt");
    } finally {
      Thread.interrupted();
    }
  }
}
