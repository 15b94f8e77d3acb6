package dev.sandboxkit.lifecycle.internal.rendezvous;

import dev.sandboxkit.lifecycle.internal.vm.DriverSpi;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.lifecycle.FailurePhase;
import dev.sandboxkit.lifecycle.internal.vm.DriverSpi.Liveness;
import dev.sandboxkit.lifecycle.SandboxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

@Timeout(20)
class RendezvousWaiterTest {
  @TempDir Path dir;

  RendezvousWaiter waiter = new RendezvousWaiter(Duration.ofMillis(20), Duration.ofSeconds(5));

  @Test
  void returnsTheAddressOnceWritten() throws Exception {
    Thread writer = new Thread(() -> {
      try {
        Thread.sleep(150);
        Files.writeString(dir.resolve("rendezvous.txt"), "unix:agent.sock\n");
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    writer.start();
    RendezvousAddress a = waiter.await(dir, DriverSpi.Transport.UNIX, () -> Liveness.ALIVE);
    assertEquals(new RendezvousAddress.Unix("agent.sock"), a);
    writer.join();
  }

  @Test
  void keepsPollingPastInvalidContent() throws Exception {
    Files.writeString(dir.resolve("rendezvous.txt"), "garbage");
    AtomicInteger polls = new AtomicInteger();
    RendezvousAddress a = waiter.await(dir, DriverSpi.Transport.TCP, () -> {
      if (polls.incrementAndGet() == 3) {
        try {
          Files.writeString(dir.resolve("rendezvous.txt"), "10.1.2.3:4567");
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      }
      return Liveness.ALIVE;
    });
    assertEquals(new RendezvousAddress.Tcp("10.1.2.3", 4567), a);
  }

  @Test
  void timeoutNamesThePathAndTheWait() {
    RendezvousWaiter quick = new RendezvousWaiter(Duration.ofMillis(20), Duration.ofMillis(200));
    SandboxException e = assertThrows(SandboxException.class,
        () -> quick.await(dir, DriverSpi.Transport.UNIX, () -> Liveness.ALIVE));
    assertEquals(FailurePhase.LAUNCH_FAILED, e.phase());
    assertTrue(e.getMessage().contains(dir.resolve("rendezvous.txt").toString()), e.getMessage());
    assertTrue(e.getMessage().contains("within 200 ms"), e.getMessage());
    assertTrue(e.detail().contains("never appeared"), e.detail());
  }

  @Test
  void timeoutWithInvalidContentSaysSo() throws Exception {
    Files.writeString(dir.resolve("rendezvous.txt"), "unix:../escape");
    RendezvousWaiter quick = new RendezvousWaiter(Duration.ofMillis(20), Duration.ofMillis(100));
    SandboxException e = assertThrows(SandboxException.class,
        () -> quick.await(dir, DriverSpi.Transport.UNIX, () -> Liveness.ALIVE));
    assertTrue(e.detail().contains("not a valid"), e.detail());
  }

  @Test
  void stopsEarlyWhenTheSandboxDied() {
    long start = System.nanoTime();
    SandboxException e = assertThrows(SandboxException.class,
        () -> waiter.await(dir, DriverSpi.Transport.UNIX,
            () -> new Liveness(false, "bwrap exited with status 1; log tail: bwrap: boom")));
    assertTrue(System.nanoTime() - start < 4_000_000_000L, "did not stop early");
    assertEquals(FailurePhase.LAUNCH_FAILED, e.phase());
    assertTrue(e.getMessage().contains("exited before"), e.getMessage());
    assertEquals("bwrap exited with status 1; log tail: bwrap: boom", e.detail());
  }

  @Test
  void wrongTransportIsRejected() throws Exception {
    Files.writeString(dir.resolve("rendezvous.txt"), "10.0.0.1:80");
    SandboxException e = assertThrows(SandboxException.class,
        () -> waiter.await(dir, DriverSpi.Transport.UNIX, () -> Liveness.ALIVE));
    assertEquals(FailurePhase.POST_LAUNCH_FAILED, e.phase());
  }

  @Test
  void rejectsBadSettings() {
    assertThrows(IllegalArgumentException.class, () -> new RendezvousWaiter(Duration.ZERO, Duration.ofSeconds(1)));
    assertThrows(IllegalArgumentException.class,
        () -> new RendezvousWaiter(Duration.ofMillis(1), Duration.ofSeconds(-1)));
  }

  @Test
  void pollIntervalStaysShortDuringTheFastPhaseThenDoublesUpToTheMaximum() {
    long max = Duration.ofMillis(500).toNanos();
    long fast = RendezvousWaiter.FIRST_POLL.toNanos();
    long early = RendezvousWaiter.FAST_PHASE.toNanos() - 1;
    assertEquals(fast, RendezvousWaiter.nextInterval(fast, max, 0));
    assertEquals(fast, RendezvousWaiter.nextInterval(fast, max, early));
    assertEquals(Duration.ofMillis(1).toNanos(),
        RendezvousWaiter.nextInterval(fast, Duration.ofMillis(1).toNanos(), 0), "capped by poll");
    long late = RendezvousWaiter.FAST_PHASE.toNanos();
    long i = fast;
    assertEquals(2 * fast, RendezvousWaiter.nextInterval(i, max, late));
    for (int n = 0; n < 20; n++) {
      long next = RendezvousWaiter.nextInterval(i, max, late);
      assertTrue(next >= i && next <= max, "interval " + next + " after " + i);
      i = next;
    }
    assertEquals(max, i);
  }

  @Test
  void aLongMaximumPollStillSeesAQuickGuestQuickly() throws Exception {
    // poll = 30 s is only the maximum interval: a file written after ~50 ms is seen long before.
    RendezvousWaiter slow = new RendezvousWaiter(Duration.ofSeconds(30), Duration.ofSeconds(60));
    Thread writer = new Thread(() -> {
      try {
        Thread.sleep(50);
        Files.writeString(dir.resolve("rendezvous.txt"), "unix:agent.sock\n");
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    writer.start();
    RendezvousAddress a = slow.await(dir, DriverSpi.Transport.UNIX, () -> Liveness.ALIVE);
    assertEquals(new RendezvousAddress.Unix("agent.sock"), a);
    writer.join();
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void theGuestsAtomicRenameWakesTheWaitBeforeThePollInterval() throws Exception {
    // The wait below would last 10 minutes without the wake-up; the class's @Timeout ends it first.
    try (RendezvousWaiter.Wakeup wakeup = RendezvousWaiter.Wakeup.watching(dir)) {
      assertTrue(wakeup.watching(), "inotify is available on Linux");
      Thread writer = new Thread(() -> {
        try {
          Path tmp = Files.writeString(dir.resolve(".rendezvous-1.tmp"), "unix:agent.sock");
          Files.move(tmp, dir.resolve("rendezvous.txt"), StandardCopyOption.ATOMIC_MOVE);
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      writer.start();
      wakeup.await(600_000);
      writer.join();
    }
  }

  @Test
  void aFolderThatCannotBeWatchedFallsBackToSleeping() throws Exception {
    try (RendezvousWaiter.Wakeup wakeup = RendezvousWaiter.Wakeup.watching(dir.resolve("missing"))) {
      assertTrue(!wakeup.watching(), "a missing folder cannot be watched");
      wakeup.await(1); // a plain sleep
    }
  }

  @Test
  void aWakeUpWithoutTheFileKeepsWaiting() throws Exception {
    // Other entries in the folder (the guest's temporary file, the nonce) only cause another read.
    RendezvousWaiter quick = new RendezvousWaiter(Duration.ofMillis(20), Duration.ofMillis(300));
    Thread writer = new Thread(() -> {
      try {
        Files.writeString(dir.resolve(".rendezvous-2.tmp"), "unix:agent");
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    writer.start();
    SandboxException e = assertThrows(SandboxException.class,
        () -> quick.await(dir, DriverSpi.Transport.UNIX, () -> Liveness.ALIVE));
    assertTrue(e.detail().contains("never appeared"), e.detail());
    writer.join();
  }

  /** Issue 16.4: an unreadable rendezvous file ends the wait at once with its cause, not as a timeout. */
  @Test
  void anUnreadableFileFailsAtOnceWithItsCause() throws Exception {
    Files.createDirectory(dir.resolve("rendezvous.txt")); // readable by nobody as a file, root included
    RendezvousWaiter patient = new RendezvousWaiter(Duration.ofMillis(20), Duration.ofSeconds(60));
    long start = System.nanoTime();
    SandboxException e = assertThrows(SandboxException.class,
        () -> patient.await(dir, DriverSpi.Transport.UNIX, () -> Liveness.ALIVE));
    assertTrue(System.nanoTime() - start < 30_000_000_000L, "waited instead of failing at once");
    assertEquals(FailurePhase.LAUNCH_FAILED, e.phase());
    assertTrue(e.getMessage().startsWith("cannot read the guest agent's rendezvous file "
        + dir.resolve("rendezvous.txt")), e.getMessage());
    assertTrue(e.getCause() instanceof java.io.IOException, String.valueOf(e.getCause()));
    assertTrue(e.detail().contains(dir.toString()), e.detail());
  }

  /** The same for a folder the host may not enter (a permission problem): only meaningful without root. */
  @Test
  @EnabledOnOs(OS.LINUX)
  void aFolderWithoutPermissionFailsAtOnce() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeFalse(rootUser(),
        "needs a non-root user (root reads any folder; CI's second pass runs it)");
    Path locked = Files.createDirectory(dir.resolve("locked"));
    Files.writeString(locked.resolve("rendezvous.txt"), "unix:agent.sock");
    Files.setPosixFilePermissions(locked, java.nio.file.attribute.PosixFilePermissions.fromString("-w-------"));
    try {
      RendezvousWaiter patient = new RendezvousWaiter(Duration.ofMillis(20), Duration.ofSeconds(60));
      SandboxException e = assertThrows(SandboxException.class,
          () -> patient.await(locked, DriverSpi.Transport.UNIX, () -> Liveness.ALIVE));
      assertTrue(e.getCause() instanceof java.nio.file.AccessDeniedException, String.valueOf(e.getCause()));
    } finally {
      Files.setPosixFilePermissions(locked, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    }
  }

  static boolean rootUser() throws java.io.IOException {
    return Files.readAllLines(Path.of("/proc/self/status")).stream()
        .anyMatch(l -> l.matches("Uid:\\s+\\d+\\s+0\\s.*"));
  }
}
