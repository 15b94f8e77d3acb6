package dev.sandboxkit.lifecycle.internal.vm.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class MutexWaitTest {
  @Test
  void interpretsEveryWaitResult() {
    assertEquals(MutexWait.ACQUIRED, MutexWait.of(0));
    assertEquals(MutexWait.ACQUIRED_ABANDONED, MutexWait.of(0x80));
    assertEquals(MutexWait.BUSY, MutexWait.of(0x102));
    assertEquals(MutexWait.FAILED, MutexWait.of(0xFFFFFFFF));
    assertEquals(MutexWait.FAILED, MutexWait.of(1));
    assertEquals(MutexWait.FAILED, MutexWait.of(0x81));
  }

  @Test
  void onlyTheTwoAcquiredOutcomesAcquire() {
    assertTrue(MutexWait.ACQUIRED.acquired());
    assertTrue(MutexWait.ACQUIRED_ABANDONED.acquired());
    assertFalse(MutexWait.BUSY.acquired());
    assertFalse(MutexWait.FAILED.acquired());
  }

  @Test
  void timeoutsAreMillisecondsRoundedUpAndCapped() {
    assertEquals(5000, MutexWait.timeoutMillis(Duration.ofSeconds(5)));
    assertEquals(0, MutexWait.timeoutMillis(Duration.ZERO));
    assertEquals(0, MutexWait.timeoutMillis(Duration.ofSeconds(-1)));
    assertEquals(1, MutexWait.timeoutMillis(Duration.ofNanos(1)));
    assertEquals(2, MutexWait.timeoutMillis(Duration.ofNanos(1_000_001)));
    assertEquals(0xFFFF_FFFE, MutexWait.timeoutMillis(Duration.ofMillis(0xFFFF_FFFFL)));
    assertEquals(0xFFFF_FFFE, MutexWait.timeoutMillis(Duration.ofDays(100)));
    assertEquals(0xFFFF_FFFE, MutexWait.timeoutMillis(Duration.ofSeconds(Long.MAX_VALUE)));
  }

  @Property
  void neverInfinite(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 2) long millis) {
    int t = MutexWait.timeoutMillis(Duration.ofMillis(millis));
    assertNotEquals(Win32.INFINITE, t);
    assertTrue(Integer.toUnsignedLong(t) <= Win32.MAX_FINITE_WAIT_MS);
  }
}
