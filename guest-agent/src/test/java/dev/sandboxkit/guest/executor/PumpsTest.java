package dev.sandboxkit.guest.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.guest.firewall.NetworkVerdict;
import dev.sandboxkit.guest.listener.ControlInbox;
import dev.sandboxkit.guest.listener.DataChannels;
import dev.sandboxkit.guest.listener.InboundQueue;
import dev.sandboxkit.protocol.ControlMessage;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Pump threads: kept between jobs (issue 12: no three thread starts per job), and taken before the
 * job starts, so a job that fills the sandbox's process limit cannot leave the agent without them.
 */
@Timeout(60)
class PumpsTest {
  @Test
  void pumpsRunOnDaemonThreadsThatLaterJobsReuse() throws Exception {
    Set<Thread> used = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      CompletableFuture<Thread> out = new CompletableFuture<>();
      Pumps.Crew crew = Pumps.SHARED.take();
      crew.run(() -> out.complete(Thread.currentThread()), () -> { }, () -> { });
      Thread t = out.get(10, TimeUnit.SECONDS);
      assertTrue(t.isDaemon(), t + " would keep the agent alive");
      assertTrue(t.getName().startsWith("sk-pump-"), t.getName());
      used.add(t);
      Thread.sleep(20); // the finished pumps' threads are back in the pool
    }
    assertTrue(used.size() < 20, "every job got new threads: " + used.size());
  }

  /** The threads exist once take() returns: nothing is created after the job has started. */
  @Test
  void takeCreatesEveryThreadBeforeTheJobAndRunRunsOnThem() throws Exception {
    AtomicInteger created = new AtomicInteger();
    Pumps pumps = new Pumps(r -> {
      created.incrementAndGet();
      Thread t = new Thread(r);
      t.setDaemon(true);
      return t;
    });
    Pumps.Crew crew = pumps.take();
    assertEquals(Pumps.PER_JOB, created.get(), "threads made by take()");
    CountDownLatch ran = new CountDownLatch(3);
    crew.run(ran::countDown, ran::countDown, ran::countDown);
    assertTrue(ran.await(10, TimeUnit.SECONDS));
    assertEquals(Pumps.PER_JOB, created.get(), "no thread made once the job runs");
  }

  @Test
  void aThreadThatCannotBeMadeFailsTakeAndGivesTheOthersBack() throws Exception {
    AtomicInteger made = new AtomicInteger();
    Pumps pumps = new Pumps(r -> {
      if (made.incrementAndGet() > 2) {
        throw new OutOfMemoryError("unable to create native thread: possibly out of memory or process/resource limits reached");
      }
      Thread t = new Thread(r);
      t.setDaemon(true);
      return t;
    });
    IOException e = assertThrows(IOException.class, pumps::take);
    assertTrue(e.getMessage().contains("process or memory limit is reached"), e.getMessage());
    assertEquals(3, made.get());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (pumps.busyThreads() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(0, pumps.busyThreads(), "the two threads taken were not given back");
  }

  /** The agent reports the job as not started (exit -1 with the reason) and stays up; nothing is spawned. */
  @Test
  void aJobWhosePumpThreadsCannotBeMadeIsRefusedNotStarted() throws Exception {
    ControlLoopCapabilitiesTest.NoEnvLauncher launcher = new ControlLoopCapabilitiesTest.NoEnvLauncher();
    Pumps noThreads = new Pumps(r -> {
      throw new OutOfMemoryError("unable to create native thread");
    });
    EmbeddedChannel stdin = new EmbeddedChannel(new InboundQueue());
    EmbeddedChannel stdout = new EmbeddedChannel();
    EmbeddedChannel stderr = new EmbeddedChannel();
    ControlMessage.Exec exec = new ControlMessage.Exec("e-2", "true", "", 0, Map.of());
    ControlMessage.Exit exit = new JobRun(exec, new DataChannels(stdin, stdout, stderr), launcher, NetworkVerdict.OK,
        new ControlInbox(), Duration.ofSeconds(1), noThreads).run();
    assertEquals(-1, exit.exitCode());
    assertTrue(exit.errorMessage().contains("process or memory limit is reached"), exit.errorMessage());
    assertEquals(0, launcher.starts.get(), "the job was started without its pump threads");
    assertFalse(stdout.isOpen() || stderr.isOpen() || stdin.isOpen(), "the data channels are closed");
  }
}
