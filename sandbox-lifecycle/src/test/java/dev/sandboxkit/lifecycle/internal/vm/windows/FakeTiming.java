package dev.sandboxkit.lifecycle.internal.vm.windows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A clock that only moves when someone sleeps; records every sleep. */
final class FakeTiming implements Timing {
  long now = 1_000_000_000L;
  final List<Duration> sleeps = new ArrayList<>();
  Runnable onSleep = () -> {};

  @Override
  public long nanoTime() {
    return now;
  }

  @Override
  public void sleep(Duration d) throws InterruptedException {
    if (Thread.currentThread().isInterrupted()) {
      throw new InterruptedException();
    }
    sleeps.add(d);
    now += d.toNanos();
    onSleep.run();
  }

  Duration total() {
    return sleeps.stream().reduce(Duration.ZERO, Duration::plus);
  }
}
