package dev.sandboxkit.lifecycle.internal.vm.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.lifecycle.FailurePhase;
import dev.sandboxkit.lifecycle.NetworkAccess;
import dev.sandboxkit.lifecycle.ResourceLimits;
import dev.sandboxkit.lifecycle.SandboxException;
import dev.sandboxkit.lifecycle.SandboxPolicy;
import dev.sandboxkit.lifecycle.internal.policy.PolicyPlan;
import dev.sandboxkit.lifecycle.internal.vm.DriverSpi;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 17 item 2: the policy's resource limits on the windows-sandbox driver (pure, and through prepare). */
@Timeout(30)
class WindowsLimitsTest {
  @TempDir Path tmp;

  @Test
  void noLimitsNoOptions() {
    assertEquals(List.of(), WindowsLimits.agentJvmOptions(ResourceLimits.DEFAULT));
    assertEquals(Optional.empty(), WindowsLimits.problem(ResourceLimits.DEFAULT));
  }

  /** The names are the guest's JobLimits properties (guest-agent's WindowsJobLauncherTest reads them back). */
  @Test
  void memoryAndPidsBecomeTheGuestsJobLimits() {
    ResourceLimits l = new ResourceLimits(1L << 30, 64, 0, ResourceLimits.DEFAULT_TMP_BYTES);
    assertEquals(List.of("-Dsandboxkit.job.activeProcessLimit=64", "-Dsandboxkit.job.memoryBytes=1073741824"),
        WindowsLimits.agentJvmOptions(l));
    assertEquals(List.of("-Dsandboxkit.job.memoryBytes=134217728"),
        WindowsLimits.agentJvmOptions(new ResourceLimits(128L << 20, 0, 0, ResourceLimits.DEFAULT_TMP_BYTES)));
    assertEquals(Optional.empty(), WindowsLimits.problem(l));
  }

  @Test
  void cpuAndTmpSizeAreRefusedNotDropped() {
    Optional<String> cpu = WindowsLimits.problem(new ResourceLimits(0, 0, 1.5, ResourceLimits.DEFAULT_TMP_BYTES));
    assertTrue(cpu.orElseThrow().startsWith("a cpu limit is not supported by the windows-sandbox driver"), cpu.get());
    Optional<String> tmp = WindowsLimits.problem(new ResourceLimits(0, 0, 0, 1L << 30));
    assertTrue(tmp.orElseThrow().contains("/tmp size"), tmp.get());
  }

  @Test
  void checkEnforceableRejectsACpuLimit() {
    FakePlatform fake = new FakePlatform(tmp, true);
    WindowsSandboxDriver driver = new WindowsSandboxDriver(fake.platform(), WindowsSandboxSettings.DEFAULT);
    SandboxException e = assertThrows(SandboxException.class,
        () -> driver.checkEnforceable(SandboxPolicy.builder().cpuLimit(2).build()));
    assertEquals(FailurePhase.REJECTED, e.phase());
    assertTrue(e.detail().contains("cpu limit"), e.detail());
  }

  /** The bootstrap the VM runs carries the limits as JVM options before -jar; the .wsb is unchanged. */
  @Test
  void prepareWritesTheLimitsIntoTheBootstrap() throws Exception {
    FakePlatform fake = new FakePlatform(tmp, true);
    WindowsSandboxDriver driver = new WindowsSandboxDriver(fake.platform(), WindowsSandboxSettings.DEFAULT);
    Path runDir = Files.createDirectories(tmp.resolve("oneshot").resolve("run"));
    Path rdv = Files.createDirectories(runDir.resolve("rendezvous"));
    Path jarDir = Files.createDirectories(tmp.resolve("lib"));
    ResourceLimits limits = new ResourceLimits(512L << 20, 100, 0, ResourceLimits.DEFAULT_TMP_BYTES);
    DriverSpi.Launch l = new DriverSpi.Launch(UUID.randomUUID(), runDir, rdv,
        new PolicyPlan(List.of(), NetworkAccess.BLOCK, List.of(), limits), jarDir.resolve("sandboxkit-guest.jar"),
        tmp.resolve("jdk"));
    driver.prepare(l);
    List<String> options = new ArrayList<>(BootstrapScript.DEFAULT_JVM_OPTIONS);
    options.add("-Dsandboxkit.job.activeProcessLimit=100");
    options.add("-Dsandboxkit.job.memoryBytes=536870912");
    String cmd = Files.readString(rdv.resolve("bootstrap.cmd"), StandardCharsets.US_ASCII);
    assertEquals(BootstrapScript.render("sandboxkit-guest.jar", options), cmd);
    assertTrue(cmd.indexOf("-Dsandboxkit.job.memoryBytes=536870912") < cmd.indexOf(" -jar "), cmd);
    String wsb = Files.readString(runDir.resolve("config/sandboxkit.wsb"));
    assertFalse(wsb.contains("MemoryInMB"), wsb);
  }
}
