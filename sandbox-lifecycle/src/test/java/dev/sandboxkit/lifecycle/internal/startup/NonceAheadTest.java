package dev.sandboxkit.lifecycle.internal.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.auth.Nonce;
import dev.sandboxkit.auth.NonceException;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class NonceAheadTest {

  @Test
  void yieldsAFreshNonceEachRun() throws Exception {
    Nonce a = NonceAhead.start().get();
    Nonce b = NonceAhead.start().get();
    assertEquals(Nonce.LENGTH, a.toBytes().length);
    assertTrue(!a.matches(b.toBytes(), 0), "two runs never share a nonce");
  }

  @Test
  void theGeneratorsNonceExceptionIsRethrownAsIs() {
    NonceException boom = new NonceException("no entropy", null);
    NonceAhead n = NonceAhead.start(() -> {
      throw boom;
    });
    assertSame(boom, assertThrows(NonceException.class, n::get));
    n.await();
  }

  @Test
  void runtimeFailuresStayRuntimeFailures() {
    NonceAhead n = NonceAhead.start(() -> {
      throw new IllegalStateException("provider bug");
    });
    assertEquals("provider bug", assertThrows(IllegalStateException.class, n::get).getMessage());
  }

  @Test
  void anUnexpectedCheckedFailureIsWrapped() {
    NonceAhead n = NonceAhead.start(() -> {
      throw new java.io.IOException("odd");
    });
    assertTrue(assertThrows(IllegalStateException.class, n::get).getMessage().contains("odd"));
  }

  @Test
  void awaitWaitsForTheThreadAndNeverThrows() throws Exception {
    // The generator is released only once the test thread is parked inside await(): an await that
    // did not wait would return first (finished still false); one that rethrew would fail the test.
    Thread tester = Thread.currentThread();
    java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();
    CountDownLatch release = new CountDownLatch(1);
    NonceAhead n = NonceAhead.start(() -> {
      release.await();
      finished.set(true);
      throw new IllegalStateException("late failure");
    });
    Thread releaser = new Thread(() -> {
      while (tester.getState() != Thread.State.WAITING && tester.getState() != Thread.State.TIMED_WAITING) {
        Thread.onSpinWait();
      }
      release.countDown();
    }, "releaser");
    releaser.setDaemon(true);
    releaser.start();
    n.await();
    assertTrue(finished.get(), "await returned before the generator finished");
    releaser.join(10_000);
  }

  @Test
  void anInterruptedWaitKeepsTheFlag() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    NonceAhead n = NonceAhead.start(() -> {
      never.await();
      return null;
    });
    Thread.currentThread().interrupt();
    try {
      assertThrows(InterruptedException.class, n::get);
      Thread.currentThread().interrupt();
      n.await();
      assertTrue(Thread.interrupted(), "await restores the interrupt");
    } finally {
      never.countDown();
      Thread.interrupted();
    }
  }
}
