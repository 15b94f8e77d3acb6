package dev.sandboxkit.lifecycle.internal.session;

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
    CountDownLatch release = new CountDownLatch(1);
    NonceAhead n = NonceAhead.start(() -> {
      release.await();
      throw new IllegalStateException("late failure");
    });
    release.countDown();
    n.await();
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
