package dev.sandboxkit.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.auth.ChannelRole;
import dev.sandboxkit.auth.Handshake;
import dev.sandboxkit.auth.Nonce;
import dev.sandboxkit.guest.firewall.NetworkMode;
import dev.sandboxkit.guest.listener.Transport;
import dev.sandboxkit.guest.testhost.TestHost;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Hardening (issue 7): the agent under abuse. 1,000 connections that send nothing, garbage, a wrong
 * nonce or half a handshake (a quarter each, at most 50 at a time) hit the agent while the real host
 * connects its four channels and runs jobs. The real session completes correctly, every hostile
 * connection is dropped by the agent, and afterwards the agent's threads and file descriptors are
 * back to where they were once it listened (plus the real session's own sockets). The agent runs in
 * this JVM, so the counts are this process's {@code /proc/self/fd} and live threads, minus the
 * test's own helper threads.
 */
@EnabledOnOs(OS.LINUX)
class AbuseTest {
  private static final int CONNECTIONS = 1_000;
  private static final int CONCURRENT = 50;
  /** How long a hostile client waits for the agent to drop it (its handshake deadline is 1 s). */
  private static final long DROP_WAIT_MS = 5_000;
  /** A live session adds its sockets on both ends: control + stdin + stdout + stderr, twice. */
  private static final int SESSION_FDS = 8;
  private static final int FD_TOLERANCE = 4;
  private static final int THREAD_TOLERANCE = 2;
  private static final long SETTLE_MS = 10_000;

  @TempDir Path dir;

  /** A count of this process's resources. */
  record Usage(int fds, int threads, String threadNames) {
    static Usage now() {
      int fds;
      try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
        fds = (int) s.count();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      List<String> names = Thread.getAllStackTraces().keySet().stream()
          .filter(Thread::isAlive)
          .map(Thread::getName)
          // the test's own helpers and the JDK's process reaper (idle threads linger for a minute)
          .filter(n -> !n.startsWith("test-host-io") && !n.startsWith("abuse-client")
              && !n.startsWith("process reaper") && !n.startsWith("ForkJoinPool"))
          .sorted()
          .collect(Collectors.toList());
      return new Usage(fds, names.size(), String.join(", ", names));
    }

    @Override
    public String toString() {
      return fds + " fds, " + threads + " threads [" + threadNames + "]";
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aThousandHostileConnectionsNeitherBreakTheSessionNorLeak(Transport transport) throws Exception {
    try (AgentRun a = AgentRun.start(dir, transport, NetworkMode.ALLOW)) {
      Usage baseline = Usage.now(); // the agent is listening

      ExecutorService pool = Executors.newFixedThreadPool(CONCURRENT, r -> {
        Thread t = new Thread(r, "abuse-client");
        t.setDaemon(true);
        return t;
      });
      Semaphore slots = new Semaphore(CONCURRENT);
      AtomicInteger notDropped = new AtomicInteger();
      AtomicInteger refused = new AtomicInteger();
      Future<?> flood = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "abuse-client-feeder");
        t.setDaemon(true);
        return t;
      }).submit(() -> {
        for (int i = 0; i < CONNECTIONS; i++) {
          slots.acquireUninterruptibly();
          int kind = i;
          pool.execute(() -> {
            try {
              if (!hostileAndDropped(a.host, a.nonce, kind)) {
                notDropped.incrementAndGet();
              }
            } catch (IOException e) {
              refused.incrementAndGet(); // the listener's backlog was full: also not a leak
            } finally {
              slots.release();
            }
          });
        }
        return null;
      });

      // The real host, in the middle of the flood.
      Thread.sleep(200);
      a.host.open();
      TestHost.Result during = a.host.exec("echo during; echo e 1>&2; exit 3");
      assertEquals(3, during.exitCode(), during.message());
      assertEquals("during\n", during.out());
      assertEquals("e\n", during.err());

      flood.get(50, TimeUnit.SECONDS);
      pool.shutdown();
      assertTrue(pool.awaitTermination(DROP_WAIT_MS + 5_000, TimeUnit.MILLISECONDS), "hostile clients did not finish");
      assertEquals(0, notDropped.get(), "hostile connections the agent kept open longer than " + DROP_WAIT_MS + " ms");
      assertTrue(refused.get() < CONNECTIONS / 10, refused.get() + " of " + CONNECTIONS + " connects refused");

      TestHost.Result after = a.host.exec("echo after");
      assertEquals(0, after.exitCode(), after.message());
      assertEquals("after\n", after.out());

      // Still connected: the real session's sockets are the only difference from the baseline.
      Usage settled = settle(baseline, SESSION_FDS);
      System.out.printf("abuse %s: baseline %d fds / %d threads; after %d connections with a live session"
              + " %d fds / %d threads (session adds %d fds); refused connects %d%n",
          transport, baseline.fds(), baseline.threads(), CONNECTIONS, settled.fds(), settled.threads(),
          SESSION_FDS, refused.get());
      assertTrue(settled.fds() <= baseline.fds() + SESSION_FDS + FD_TOLERANCE,
          "file descriptors leaked: baseline " + baseline + "; after " + settled);
      assertTrue(settled.threads() <= baseline.threads() + THREAD_TOLERANCE,
          "threads leaked: baseline " + baseline + "; after " + settled);

      assertEquals(ExitCodes.CLEAN, a.closeAndAwaitExit());
    }
  }

  /** Polls (bounded) until the counts are back within tolerance; returns the last reading. */
  private static Usage settle(Usage baseline, int extraFds) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_MS);
    Usage u;
    do {
      u = Usage.now();
      if (u.fds() <= baseline.fds() + extraFds + FD_TOLERANCE && u.threads() <= baseline.threads() + THREAD_TOLERANCE) {
        return u;
      }
      Thread.sleep(100);
    } while (System.nanoTime() - end < 0);
    return u;
  }

  /**
   * One hostile connection of kind {@code i % 4}: silent, 64 bytes of garbage, a full handshake with a
   * wrong nonce, or the first 1..32 bytes of a real handshake then silence. Returns whether the
   * agent closed it within {@link #DROP_WAIT_MS}.
   */
  private static boolean hostileAndDropped(TestHost host, Nonce nonce, int i) throws IOException {
    Random r = new Random(i);
    try (SocketChannel ch = host.rawConnect()) {
      switch (i % 4) {
        case 0: // silent
          break;
        case 1: {
          byte[] junk = new byte[64];
          r.nextBytes(junk);
          TestHost.writeAll(ch, junk);
          break;
        }
        case 2:
          TestHost.writeAll(ch, Handshake.encode(wrongNonce(r), ChannelRole.values()[i % 3 + 1]));
          break;
        default: {
          byte[] hs = Handshake.encode(nonce, ChannelRole.CONTROL);
          TestHost.writeAll(ch, Arrays.copyOf(hs, 1 + r.nextInt(Handshake.LENGTH - 1)));
        }
      }
      return closedWithin(ch, DROP_WAIT_MS);
    }
  }

  private static Nonce wrongNonce(Random r) {
    byte[] b = new byte[Nonce.LENGTH];
    r.nextBytes(b);
    return Nonce.fromBytes(b);
  }

  /** Whether the peer closed (end of stream or reset) within {@code millis}; reads nothing else. */
  private static boolean closedWithin(SocketChannel ch, long millis) throws IOException {
    ch.configureBlocking(false);
    try (Selector sel = Selector.open()) {
      ch.register(sel, SelectionKey.OP_READ);
      long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
      ByteBuffer b = ByteBuffer.allocate(256);
      while (true) {
        long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
        if (left <= 0) {
          return false;
        }
        sel.select(left);
        sel.selectedKeys().clear();
        try {
          b.clear();
          if (ch.read(b) < 0) {
            return true;
          }
        } catch (IOException e) {
          return true; // reset by the agent
        }
      }
    }
  }
}
