package dev.sandboxkit.lifecycle.internal.vm.windows;

import java.time.Duration;

/** Pure interpretation of a named-mutex wait (§1.1 steps 2-5, W1, W2). */
enum MutexWait {
  /** {@code WAIT_OBJECT_0}: ours. */
  ACQUIRED,
  /** {@code WAIT_ABANDONED}: ours; the previous holder died (state is reconciled from markers). */
  ACQUIRED_ABANDONED,
  /** {@code WAIT_TIMEOUT}: another owner holds it (contention, not an error). */
  BUSY,
  /** {@code WAIT_FAILED} or any other value: a real failure, reported distinctly from busy (W2). */
  FAILED;

  /** Classifies a raw {@code WaitForSingleObject} return value. */
  static MutexWait of(int waitResult) {
    switch (waitResult) {
      case Win32.WAIT_OBJECT_0:
        return ACQUIRED;
      case Win32.WAIT_ABANDONED:
        return ACQUIRED_ABANDONED;
      case Win32.WAIT_TIMEOUT:
        return BUSY;
      default:
        return FAILED;
    }
  }

  /** True for both acquired outcomes. */
  boolean acquired() {
    return this == ACQUIRED || this == ACQUIRED_ABANDONED;
  }

  /**
   * The wait in milliseconds as a DWORD, rounded up, clamped to 0..0xFFFFFFFE so it is never {@code
   * INFINITE} (W1).
   */
  static int timeoutMillis(Duration wait) {
    if (wait.isNegative() || wait.isZero()) {
      return 0;
    }
    long ms;
    try {
      ms = Math.addExact(wait.toMillis(), wait.toNanosPart() % 1_000_000 == 0 ? 0 : 1);
    } catch (ArithmeticException e) {
      ms = Long.MAX_VALUE;
    }
    return (int) Math.min(ms, Win32.MAX_FINITE_WAIT_MS);
  }
}
