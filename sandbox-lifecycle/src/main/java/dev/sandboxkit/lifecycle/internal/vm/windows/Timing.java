package dev.sandboxkit.lifecycle.internal.vm.windows;

import java.time.Duration;

/** Monotonic time and sleeping, injectable so polling loops are tested without waiting. */
interface Timing {
  /** The real clock ({@link System#nanoTime()}, {@link Thread#sleep(long)}). */
  Timing SYSTEM = new Timing() {
    @Override
    public long nanoTime() {
      return System.nanoTime();
    }

    @Override
    public void sleep(Duration d) throws InterruptedException {
      if (!d.isNegative() && !d.isZero()) {
        Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
      }
    }
  };

  long nanoTime();

  void sleep(Duration d) throws InterruptedException;
}
