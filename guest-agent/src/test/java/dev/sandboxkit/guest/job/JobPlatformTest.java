package dev.sandboxkit.guest.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Platform;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class JobPlatformTest {
  @Test
  void jobObjectStructuresHaveTheX64Layout() {
    assumeTrue(Platform.is64Bit() && Platform.isIntel(), "layout checked for x86-64 only");
    assertEquals(64, new WinJobApi.BasicLimits().size());
    assertEquals(48, new WinJobApi.IoCounters().size());
    WinJobApi.ExtendedLimits l = WinJobApi.ExtendedLimits.of(JobLimits.NONE);
    assertEquals(144, l.size());
    assertEquals(0x2000, l.BasicLimitInformation.LimitFlags);
  }

  @Test
  void linuxRunsTheScriptThroughBinSh() {
    assertEquals(List.of("/bin/sh", "-c", "echo 'a b' && exit 3"), PosixJobLauncher.command("echo 'a b' && exit 3"));
  }

  @Test
  void theAgentBecomesAChildSubreaperOnLinux() {
    assumeTrue(Platform.isLinux());
    assertTrue(Subreaper.enable().active());
  }

  @Test
  void jnaIsToldWhereLibrariesLiveSoItDoesNotRunLdconfig() {
    java.util.Properties p = new java.util.Properties();
    Subreaper.presetLibraryPath(p, "amd64");
    assertEquals("/usr/lib/x86_64-linux-gnu:/lib/x86_64-linux-gnu:/usr/lib64:/lib64:/usr/lib:/lib",
        p.getProperty(Subreaper.PLATFORM_LIBRARY_PATH));
    assertEquals("/usr/lib/aarch64-linux-gnu:/lib/aarch64-linux-gnu:/usr/lib64:/lib64:/usr/lib:/lib",
        Subreaper.linuxLibraryPath("aarch64"));
    assertEquals("/usr/lib64:/lib64:/usr/lib:/lib", Subreaper.linuxLibraryPath("riscv64"));
  }

  @Test
  void theProcessStartWarmUpStartsNothingAndLeavesProcessesWorking() throws Exception {
    assumeTrue(Platform.isLinux());
    long before = ProcessHandle.current().children().count();
    ProcessStartWarmup.run();
    assertEquals(before, ProcessHandle.current().children().count(), "the warm-up starts no process");
    Process p = new ProcessBuilder("true").start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
  }

  @Test
  void aLibraryPathAlreadySetIsKept() {
    java.util.Properties p = new java.util.Properties();
    p.setProperty(Subreaper.PLATFORM_LIBRARY_PATH, "/opt/lib");
    Subreaper.presetLibraryPath(p, "amd64");
    assertEquals("/opt/lib", p.getProperty(Subreaper.PLATFORM_LIBRARY_PATH));
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void theBackgroundSubreaperIsInPlaceBeforeTheFirstJob() {
    assumeTrue(Platform.isLinux());
    PosixJobLauncher launcher = PosixJobLauncher.withBackgroundSubreaper(() -> {});
    assertTrue(launcher.subreaper().active());
    assertTrue(launcher.subreaper() == launcher.subreaper(), "set up once");
    assertEquals(false, Subreaper.none().active());
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void killTreeKillsADoubleForkedDaemonAndReportsNothingLeft() throws Exception {
    assumeTrue(Platform.isLinux());
    JobProcess job =
        JobLauncher.forCurrentOs().start("(sh -c 'echo $$; exec sleep 1000' &) ; echo main; sleep 1000", null);
    java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(job.stdout()));
    String first = r.readLine();
    String second = r.readLine();
    long daemon = Long.parseLong(first.equals("main") ? second : first);
    assertTrue(ProcessHandle.of(daemon).isPresent());
    assertEquals(List.of(), job.killTree(java.time.Duration.ofSeconds(5)));
    assertTrue(job.waitFor(5000));
    assertTrue(ProcessHandle.of(daemon).map(ProcessHandle::isAlive).orElse(false) == false);
  }
}
