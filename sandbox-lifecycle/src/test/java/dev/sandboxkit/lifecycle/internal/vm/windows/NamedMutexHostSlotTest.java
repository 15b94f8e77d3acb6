package dev.sandboxkit.lifecycle.internal.vm.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.lifecycle.internal.controlplane.HostSlot;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class NamedMutexHostSlotTest {
  private final FakeWin32Mutex api = new FakeWin32Mutex();
  private final NamedMutexHostSlot slot = new NamedMutexHostSlot(api);

  @Test
  void usesMxcsMutexName() {
    assertEquals("Local\\wxc-wsb-vm", NamedMutexHostSlot.NAME);
    assertEquals(Duration.ofSeconds(5), NamedMutexHostSlot.ONE_SHOT_WAIT);
  }

  @Test
  void acquireHoldReleaseAndCloseAllHappenOnOneDedicatedThread() throws Exception {
    Optional<HostSlot.Lease> lease = slot.tryAcquire(Duration.ofSeconds(5));
    assertTrue(lease.isPresent());
    Thread owner = api.owner(NamedMutexHostSlot.NAME);
    assertNotEquals(Thread.currentThread(), owner);
    assertEquals("sandboxkit-wsb-slot", owner.getName());
    lease.get().close();
    List<String> calls = api.callsSnapshot();
    assertEquals(List.of("create", "wait", "release", "close"),
        calls.stream().map(c -> c.split(" ")[0]).collect(Collectors.toList()));
    assertEquals(1, calls.stream().map(c -> c.split(" ")[2]).distinct().count(), calls.toString());
    assertNull(api.owner(NamedMutexHostSlot.NAME));
    assertEquals(List.of(5000), api.timeouts);
  }

  @Test
  void closeIsIdempotent() throws Exception {
    HostSlot.Lease lease = slot.tryAcquire(Duration.ofSeconds(1)).orElseThrow();
    lease.close();
    lease.close();
    assertEquals(1, api.callsSnapshot().stream().filter(c -> c.startsWith("release")).count());
  }

  @Test
  void contentionFromAnotherOwnerIsBusyNotAnErrorAndClosesTheHandle() throws Exception {
    HostSlot.Lease first = slot.tryAcquire(Duration.ofSeconds(1)).orElseThrow();
    Optional<HostSlot.Lease> second = slot.tryAcquire(Duration.ofMillis(50));
    assertTrue(second.isEmpty());
    assertEquals(1, api.closed.size(), "the busy attempt closed its handle");
    first.close();
    Optional<HostSlot.Lease> third = slot.tryAcquire(Duration.ofMillis(50));
    assertTrue(third.isPresent(), "free again after release");
    third.get().close();
  }

  @Test
  void twoLeasesInOneJvmContendBecauseEachHasItsOwnThread() throws Exception {
    // A Win32 mutex is recursive per thread: on one pooled thread both would "acquire" (W1).
    HostSlot.Lease first = slot.tryAcquire(Duration.ofSeconds(1)).orElseThrow();
    assertTrue(slot.tryAcquire(Duration.ofMillis(20)).isEmpty());
    first.close();
  }

  @Test
  void abandonedMutexCountsAsAcquired() throws Exception {
    CountDownLatch taken = new CountDownLatch(1);
    Thread dying = new Thread(() -> {
      try {
        long h = api.create(NamedMutexHostSlot.NAME);
        api.waitFor(h, 0);
        taken.countDown();
      } catch (Win32Exception e) {
        throw new AssertionError(e);
      }
    }, "dies-holding-the-mutex");
    dying.start();
    taken.await();
    dying.join();
    Optional<HostSlot.Lease> lease = slot.tryAcquire(Duration.ofSeconds(1));
    assertTrue(lease.isPresent());
    lease.get().close();
  }

  @Test
  void forcedAbandonedResultIsAcquired() throws Exception {
    api.forcedWaitResult = Win32.WAIT_ABANDONED;
    Optional<HostSlot.Lease> lease = slot.tryAcquire(Duration.ofSeconds(1));
    assertTrue(lease.isPresent());
    lease.get().close();
  }

  @Test
  void forcedTimeoutIsBusy() throws Exception {
    api.forcedWaitResult = Win32.WAIT_TIMEOUT;
    assertTrue(slot.tryAcquire(Duration.ofSeconds(5)).isEmpty());
    assertEquals(1, api.closed.size());
  }

  @Test
  void waitFailedIsARealFailureWithTheErrorCodeNotBusy() {
    api.forcedWaitResult = Win32.WAIT_FAILED;
    api.forcedError = 6;
    Win32Exception e = assertThrows(Win32Exception.class, () -> slot.tryAcquire(Duration.ofSeconds(1)));
    assertEquals(6, e.errorCode());
    assertEquals("WaitForSingleObject", e.function());
    assertTrue(e.getMessage().contains("Local\\wxc-wsb-vm"), e.getMessage());
    assertEquals(1, api.closed.size());
  }

  @Test
  void unexpectedWaitValueIsAFailure() {
    api.forcedWaitResult = 0x42;
    assertThrows(IOException.class, () -> slot.tryAcquire(Duration.ofSeconds(1)));
  }

  @Test
  void createFailureIsARealFailure() {
    api.createFailure = new Win32Exception("CreateMutexW", Win32.ERROR_ACCESS_DENIED,
        "could not create or open the named mutex Local\\wxc-wsb-vm");
    Win32Exception e = assertThrows(Win32Exception.class, () -> slot.tryAcquire(Duration.ofSeconds(1)));
    assertSame(api.createFailure, e);
    assertTrue(e.getMessage().contains("access denied"), e.getMessage());
  }

  @Test
  void hugeWaitsAreCappedBelowInfinite() throws Exception {
    api.forcedWaitResult = Win32.WAIT_TIMEOUT;
    NamedMutexHostSlot s = new NamedMutexHostSlot(api, NamedMutexHostSlot.NAME, Duration.ZERO);
    // The capped wait passes through; the fake answers at once.
    assertTrue(s.tryAcquire(Duration.ofDays(100)).isEmpty());
    assertEquals(0xFFFF_FFFE, (int) api.timeouts.get(0));
  }

  @Test
  void noAnswerFromTheOwnerThreadIsAFailureAndALateAcquireIsReleased() throws Exception {
    CountDownLatch unblock = new CountDownLatch(1);
    Win32Mutex stuck = new Win32Mutex() {
      @Override
      public long create(String name) {
        return 1;
      }

      @Override
      public int waitFor(long handle, int timeoutMillis) {
        try {
          unblock.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return Win32.WAIT_OBJECT_0;
      }

      @Override
      public int lastError() {
        return 0;
      }

      @Override
      public boolean release(long handle) {
        released.countDown();
        return true;
      }

      @Override
      public void close(long handle) {}
    };
    NamedMutexHostSlot s = new NamedMutexHostSlot(stuck, "Local\\test", Duration.ofMillis(50));
    IOException e = assertThrows(IOException.class, () -> s.tryAcquire(Duration.ZERO));
    assertTrue(e.getMessage().contains("gave no answer"), e.getMessage());
    unblock.countDown();
    assertTrue(released.await(5, java.util.concurrent.TimeUnit.SECONDS), "a late acquire is released at once");
  }

  private final CountDownLatch released = new CountDownLatch(1);

  @Test
  void busyMessageSaysAnotherOwnerHoldsTheSlot() {
    String m = NamedMutexHostSlot.busyMessage(Duration.ofSeconds(5));
    assertTrue(m.contains("another Windows Sandbox owner holds the host slot"), m);
    assertTrue(m.contains("Local\\wxc-wsb-vm"), m);
    assertTrue(m.contains("5000 ms"), m);
    assertFalse(m.isBlank());
  }
}
