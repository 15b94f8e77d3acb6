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
    long self = ProcessHandle.current().pid();
    ChildExit.await(List.of(new VmProcId(1, 1), new VmProcId(self, 1), new VmProcId(VmProcId.MAX_PID, 1)), 5);
    ChildExit.await(List.of(), 0);
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
