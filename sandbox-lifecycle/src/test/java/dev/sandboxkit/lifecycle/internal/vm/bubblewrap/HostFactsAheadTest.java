package dev.sandboxkit.lifecycle.internal.vm.bubblewrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walk of the runtime's links done ahead on the start-up thread ({@link HostFacts#walkAhead}):
 * used by the next call for the same runtime only while fresh, and never instead of a correct walk.
 */
@Timeout(30)
class HostFactsAheadTest {
  @TempDir Path temp;
  private Path home;
  private Path link;
  private List<Path> outsideRoot;

  @BeforeEach
  void runtimeWithOneOutsideLink() throws IOException {
    HostFacts.clearAhead();
    home = Files.createDirectories(temp.resolve("jdk")).toRealPath();
    Path outside = Files.createDirectories(temp.resolve("etc-java"));
    Files.write(outside.resolve("java.security"), new byte[1]);
    Files.createDirectories(home.resolve("conf"));
    link = Files.createSymbolicLink(home.resolve("conf/java.security"), outside.resolve("java.security"));
    Path real = temp.toRealPath();
    outsideRoot = List.of(real.getRoot().resolve(real.subpath(0, 2)));
  }

  @AfterEach
  void forget() {
    HostFacts.clearAhead();
  }

  @Test
  void theNextCallTakesTheWalkAheadAndTheOneAfterWalksAgain() throws IOException {
    HostFacts.walkAhead(home);
    Files.delete(link); // changed after the walk ahead: only a later call may see it
    assertEquals(outsideRoot, HostFacts.javaExtraRoots(home), "the walk ahead stands in for this call's");
    assertEquals(List.of(), HostFacts.javaExtraRoots(home), "used once: the next call walks the runtime as it is");
  }

  @Test
  void aWalkAheadOfAnotherRuntimeIsDroppedAndNeverUsed() throws IOException {
    Path other = Files.createDirectories(temp.resolve("other-jdk")).toRealPath();
    HostFacts.walkAhead(other);
    assertEquals(outsideRoot, HostFacts.javaExtraRoots(home), "walked itself: the walk ahead was of another path");
    Files.delete(link);
    HostFacts.walkAhead(home);
    Files.createSymbolicLink(link, temp.resolve("etc-java/java.security"));
    assertEquals(List.of(), HostFacts.javaExtraRoots(home), "the newer walk ahead replaced nothing stale");
  }

  @Test
  void aWalkAheadOlderThanTheLimitIsNotUsed() throws IOException {
    HostFacts.walkAhead(home);
    Files.delete(link);
    long later = System.nanoTime() + HostFacts.AHEAD_MAX_AGE_NANOS + 1;
    assertEquals(List.of(), HostFacts.javaExtraRoots(home, later), "too old: walked again");
    Files.createSymbolicLink(link, temp.resolve("etc-java/java.security"));
    assertEquals(outsideRoot, HostFacts.javaExtraRoots(home), "and it was dropped, not kept for later");
  }

  @Test
  void aFailedWalkAheadIsRedoneByTheCall() {
    AtomicInteger calls = new AtomicInteger();
    HostFacts.walkAhead(home, () -> {
      calls.incrementAndGet();
      throw new IllegalStateException("walk failed");
    });
    assertEquals(1, calls.get(), "the walk ahead runs on the calling thread");
    assertEquals(outsideRoot, HostFacts.javaExtraRoots(home), "the call walks itself after a failed walk ahead");
  }

  @Test
  void aCallDuringTheWalkAheadWaitsForItsResult() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread ahead = new Thread(() -> HostFacts.walkAhead(home, () -> {
      started.countDown();
      assertTrue(release.await(20, TimeUnit.SECONDS));
      return List.of(Path.of("/from-the-walk-ahead"));
    }));
    ahead.start();
    assertTrue(started.await(20, TimeUnit.SECONDS));
    Thread releaser = new Thread(() -> {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      release.countDown();
    });
    releaser.start();
    assertEquals(List.of(Path.of("/from-the-walk-ahead")), HostFacts.javaExtraRoots(home));
    ahead.join(20_000);
    releaser.join(20_000);
    assertFalse(ahead.isAlive());
  }

  @Test
  void anInterruptedCallerWalksItselfAndKeepsItsInterrupt() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    Thread ahead = new Thread(() -> HostFacts.walkAhead(home, () -> {
      started.countDown();
      release.await(20, TimeUnit.SECONDS);
      return List.of(Path.of("/from-the-walk-ahead"));
    }));
    ahead.start();
    assertTrue(started.await(20, TimeUnit.SECONDS));
    try {
      Thread.currentThread().interrupt();
      assertEquals(outsideRoot, HostFacts.javaExtraRoots(home));
      assertTrue(Thread.interrupted(), "the interrupt is kept for the run");
    } finally {
      release.countDown();
      ahead.join(20_000);
    }
  }
}
