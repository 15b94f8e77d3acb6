package dev.sandboxkit.guest.executor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Pump threads are daemon threads kept between jobs (issue 12: no three thread starts per job). */
@Timeout(60)
class PumpsTest {
  @Test
  void pumpsRunOnDaemonThreadsThatLaterPumpsReuse() throws Exception {
    Set<Thread> used = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      CompletableFuture<Thread> ran = new CompletableFuture<>();
      Pumps.start(() -> ran.complete(Thread.currentThread()));
      Thread t = ran.get(10, TimeUnit.SECONDS);
      assertTrue(t.isDaemon(), t + " would keep the agent alive");
      assertTrue(t.getName().startsWith("sk-pump-"), t.getName());
      used.add(t);
      Thread.sleep(20); // the finished pump's thread is back in the pool
    }
    assertTrue(used.size() < 20, "every pump got a new thread: " + used.size());
  }
}
