package dev.sandboxkit.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The leak checker itself, used programmatically (so no test has to fail to show it works). */
@Timeout(30)
class NoLeaksExtensionTest {
  static final Duration SHORT = Duration.ofMillis(300);

  @TempDir Path temp;

  NoLeaksExtension extension() {
    return NoLeaksExtension.withStateRoot(() -> temp).waiting(SHORT);
  }

  @Test
  void cleanTestReportsNothing() {
    assertEquals(List.of(), extension().start().finish());
  }

  @Test
  @EnabledOnOs({OS.LINUX, OS.MAC})
  void leakedSleepProcessIsReported() throws Exception {
    NoLeaksExtension.Session s = extension().start();
    Process sleep = new ProcessBuilder("sleep", "30").start();
    try {
      List<String> leaks = s.finish();
      assertEquals(1, leaks.size(), leaks.toString());
      assertTrue(leaks.get(0).startsWith("process " + sleep.pid() + " "), leaks.get(0));
      assertTrue(leaks.get(0).contains("sleep"), leaks.get(0));
    } finally {
      sleep.destroyForcibly();
      sleep.waitFor(5, TimeUnit.SECONDS);
    }
  }

  @Test
  @EnabledOnOs({OS.LINUX, OS.MAC})
  void processThatExitsWithinTheWaitIsNotALeak() throws Exception {
    NoLeaksExtension.Session s = extension().waiting(Duration.ofSeconds(5)).start();
    Process p = new ProcessBuilder("sleep", "0.2").start();
    assertEquals(List.of(), s.finish());
    assertTrue(p.waitFor(1, TimeUnit.SECONDS));
  }

  @Test
  void newNonDaemonThreadIsReported() throws Exception {
    NoLeaksExtension.Session s = extension().start();
    CountDownLatch release = new CountDownLatch(1);
    Thread t = new Thread(() -> await(release), "stuck-worker");
    t.start();
    try {
      assertEquals(List.of("thread \"stuck-worker\" (non-daemon)"), s.finish());
    } finally {
      release.countDown();
      t.join(5000);
    }
  }

  @Test
  void ownDaemonThreadIsReportedButForeignDaemonThreadIsNot() throws Exception {
    NoLeaksExtension.Session s = extension().start();
    CountDownLatch release = new CountDownLatch(1);
    Thread ours = new Thread(() -> await(release), "sandboxkit-drain");
    Thread foreign = new Thread(() -> await(release), "some-pool");
    ours.setDaemon(true);
    foreign.setDaemon(true);
    ours.start();
    foreign.start();
    try {
      assertEquals(List.of("thread \"sandboxkit-drain\" (daemon)"), s.finish());
    } finally {
      release.countDown();
      ours.join(5000);
      foreign.join(5000);
    }
  }

  @Test
  void leftoverRunDirIsReportedAndOlderOnesAreNot() throws Exception {
    Files.createDirectory(temp.resolve("before"));
    NoLeaksExtension.Session s = extension().start();
    Path run = Files.createDirectory(temp.resolve("6f1c0d9e-run"));
    assertEquals(List.of("run dir " + run), s.finish());
  }

  @Test
  void uncaughtExceptionInAnyThreadIsReportedAndTheHandlerRestored() throws Exception {
    Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
    NoLeaksExtension.Session s = extension().start();
    Thread t = new Thread(() -> {
      throw new IllegalStateException("boom in a worker");
    }, "failing-worker");
    t.setUncaughtExceptionHandler(null);
    t.start();
    t.join(5000);
    List<String> leaks = s.finish();
    assertEquals(1, leaks.size(), leaks.toString());
    assertTrue(leaks.get(0).startsWith("uncaught exception in thread \"failing-worker\""), leaks.get(0));
    assertTrue(leaks.get(0).contains("boom in a worker"), leaks.get(0));
    assertSame(before, Thread.getDefaultUncaughtExceptionHandler());
    assertEquals(List.of(), s.finish(), "finish is take-once");
  }

  @Test
  void withoutAStateRootRunDirsAreNotChecked() throws Exception {
    NoLeaksExtension.Session s = new NoLeaksExtension().waiting(SHORT).start();
    Files.createDirectory(temp.resolve("unchecked"));
    assertEquals(List.of(), s.finish());
  }

  private static void await(CountDownLatch l) {
    try {
      l.await(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
