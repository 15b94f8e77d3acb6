package dev.sandboxkit.guest.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.sun.jna.Platform;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the Windows launcher decides before any Win32 call, tested on every OS. */
class WindowsJobLauncherTest {

  /** Finding 3: an Error from JNA (no native stub for this CPU) is a clean job refusal. */
  @Test
  void aJnaThatCannotLoadRefusesTheJobWithAMessage() {
    WindowsJobLauncher l = new WindowsJobLauncher(() -> {
      throw new UnsatisfiedLinkError("Native library (com/sun/jna/win32-aarch64/jnidispatch.dll) not found");
    }, JobLimits.NONE);
    IOException e = assertThrows(IOException.class, () -> l.start("echo hi", null));
    assertTrue(e.getMessage().startsWith("the Windows API is not available through JNA"), e.getMessage());
    assertTrue(e.getMessage().contains("win32-aarch64"), e.getMessage());
    assertTrue(e.getCause() instanceof UnsatisfiedLinkError);
    assertTrue(!e.getMessage().contains("echo hi"), "the command line never reaches a message");
  }

  @Test
  void aClassThatFailedToInitialiseIsRefusedToo() {
    WindowsJobLauncher l = new WindowsJobLauncher(() -> {
      throw new NoClassDefFoundError("Could not initialize class com.sun.jna.platform.win32.Kernel32");
    }, JobLimits.NONE);
    assertThrows(IOException.class, () -> l.start("echo hi", null));
  }

  /** The real loader off Windows: kernel32 does not exist, and that is a refusal, not an Error. */
  @Test
  void theRealLoaderOffWindowsRefusesCleanly() {
    assumeFalse(Platform.isWindows());
    IOException e = assertThrows(IOException.class, () -> new WindowsJobLauncher().start("echo hi", null));
    assertTrue(e.getMessage().startsWith("the Windows API is not available through JNA"), e.getMessage());
  }

  @Test
  void aBadEnvironmentIsRefusedBeforeAnythingIsLoaded() {
    WindowsJobLauncher l = new WindowsJobLauncher(() -> {
      throw new AssertionError("must not load");
    }, JobLimits.NONE);
    IOException e = assertThrows(IOException.class, () -> l.start("echo", null, Map.of("A=B", "1")));
    assertTrue(e.getMessage().contains("'A=B'"), e.getMessage());
  }

  @Test
  void jobLimitFlags() {
    assertEquals(0x2000, JobLimits.NONE.limitFlags());
    assertEquals(0x2000 | 0x8, new JobLimits(16, 0).limitFlags());
    assertEquals(0x2000 | 0x200, new JobLimits(0, 1L << 30).limitFlags());
    WinJobApi.ExtendedLimits x = WinJobApi.ExtendedLimits.of(new JobLimits(16, 1L << 30));
    assertEquals(0x2208, x.BasicLimitInformation.LimitFlags);
    assertEquals(16, x.BasicLimitInformation.ActiveProcessLimit);
    assertEquals(1L << 30, com.sun.jna.Pointer.nativeValue(x.JobMemoryLimit));
    assertThrows(IllegalArgumentException.class, () -> new JobLimits(-1, 0));
    assertThrows(IllegalArgumentException.class, () -> new JobLimits(0, -1));
  }

  /** Item 2: the limits the host writes into the bootstrap's JVM options reach the job object. */
  @Test
  void limitsComeFromTheAgentsSystemProperties() {
    // The names the host writes (sandbox-lifecycle's WindowsLimitsTest asserts the same strings).
    assertEquals("sandboxkit.job.activeProcessLimit", JobLimits.PROCESSES_PROPERTY);
    assertEquals("sandboxkit.job.memoryBytes", JobLimits.MEMORY_PROPERTY);
    assertEquals(JobLimits.NONE, JobLimits.fromProperties(Map.<String, String>of()::get));
    assertEquals(new JobLimits(64, 1L << 30), JobLimits.fromProperties(Map.of(
        JobLimits.PROCESSES_PROPERTY, "64", JobLimits.MEMORY_PROPERTY, "1073741824")::get));
    assertEquals(new JobLimits(0, 1L << 30),
        JobLimits.fromProperties(Map.of(JobLimits.MEMORY_PROPERTY, "1073741824")::get));
    JobLauncher l = WindowsJobLauncher.withLimits(Map.of(JobLimits.PROCESSES_PROPERTY, "40")::get);
    assertEquals(new JobLimits(40, 0), ((WindowsJobLauncher) l).limits());
    WinJobApi.ExtendedLimits x = WinJobApi.ExtendedLimits.of(((WindowsJobLauncher) l).limits());
    assertEquals(0x2008, x.BasicLimitInformation.LimitFlags);
    assertEquals(40, x.BasicLimitInformation.ActiveProcessLimit);
    assertEquals(0, com.sun.jna.Pointer.nativeValue(x.JobMemoryLimit));
  }

  @Test
  void malformedLimitsAreNamed() {
    for (String bad : new String[] {"-1", "x", "", "1.5", "99999999999"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> JobLimits.fromProperties(Map.of(JobLimits.PROCESSES_PROPERTY, bad)::get), bad);
      assertTrue(e.getMessage().contains(JobLimits.PROCESSES_PROPERTY), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class,
        () -> JobLimits.fromProperties(Map.of(JobLimits.MEMORY_PROPERTY, "1g")::get));
  }

  /** Fail closed: an agent given malformed limits refuses every job rather than run one unlimited. */
  @Test
  void malformedLimitsRefuseEveryJobWithTheReason() {
    JobLauncher l = WindowsJobLauncher.withLimits(Map.of(JobLimits.MEMORY_PROPERTY, "lots")::get);
    IOException e = assertThrows(IOException.class, () -> l.start("echo hi", null));
    assertTrue(e.getMessage().contains(JobLimits.MEMORY_PROPERTY + "=lots"), e.getMessage());
    assertTrue(!e.getMessage().contains("echo hi"));
  }
}
