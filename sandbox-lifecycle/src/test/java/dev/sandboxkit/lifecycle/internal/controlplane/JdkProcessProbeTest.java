package dev.sandboxkit.lifecycle.internal.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

@DisabledOnOs(OS.WINDOWS)
@Timeout(30)
class JdkProcessProbeTest {

  private final ProcessProbe probe = JdkProcessProbe.INSTANCE;
  private Process child;

  @BeforeEach
  void startSleep() throws Exception {
    child = new ProcessBuilder("sleep", "60").start();
  }

  @AfterEach
  void killChild() throws Exception {
    child.destroyForcibly();
    child.waitFor(10, TimeUnit.SECONDS);
  }

  private VmProcId childId() {
    return VmProcId.of(child.toHandle()).orElseThrow();
  }

  @Test
  void liveChildIsFoundWithItsCreationTime() {
    OptionalLong ct = probe.runningCreationTime(child.pid());
    assertTrue(ct.isPresent());
    assertEquals(childId().creationTime(), ct.getAsLong());
    assertTrue(probe.isAlive(childId()));
  }

  @Test
  void currentProcessIsAliveWithMatchingCreationTime() {
    VmProcId me = VmProcId.current().orElseThrow();
    assertTrue(probe.isAlive(me));
  }

  @Test
  void wrongCreationTimeIsNotAlive() {
    VmProcId wrong = new VmProcId(child.pid(), childId().creationTime() ^ 0xFFFF);
    assertFalse(probe.isAlive(wrong));
  }

  @Test
  void terminateSkipsCreationTimeMismatch() throws Exception {
    VmProcId wrong = new VmProcId(child.pid(), childId().creationTime() + 1);
    assertEquals(0, probe.terminate(List.of(wrong)));
    assertFalse(child.waitFor(300, TimeUnit.MILLISECONDS), "the child must survive a mismatched kill");
    assertTrue(child.isAlive());
  }

  @Test
  void terminateKillsRecordedProcess() throws Exception {
    assertEquals(1, probe.terminate(List.of(childId())));
    assertTrue(child.waitFor(10, TimeUnit.SECONDS));
    assertNotEquals(0, child.exitValue());
  }

  @Test
  void terminateEmptyTargetsKillsNothing() {
    assertEquals(0, probe.terminate(List.of()));
  }

  @Test
  void pidZeroHasNoCreationTimeAndIsNeverKilled() {
    assertTrue(probe.runningCreationTime(0).isEmpty());
    assertEquals(0, probe.terminate(List.of(new VmProcId(0, 1))));
  }

  @Test
  void exitedChildHasNoRunningCreationTime() throws Exception {
    VmProcId id = childId();
    child.destroyForcibly();
    assertTrue(child.waitFor(10, TimeUnit.SECONDS));
    assertTrue(probe.runningCreationTime(id.pid()).isEmpty());
    assertEquals(0, probe.terminate(List.of(id)));
  }

  @Test
  void refusesToTerminateThisJvm() {
    assertEquals(0, probe.terminate(List.of(VmProcId.current().orElseThrow())));
  }

  /** Issue 15.7: a zombie still has its pid entry and ProcessHandle calls it alive; it runs nothing. */
  @Test
  void aZombieIsNotRunning() throws Exception {
    try (RealZombie z = RealZombie.start()) {
      assertTrue(ProcessHandle.of(z.id().pid()).map(ProcessHandle::isAlive).orElse(false),
          "the JDK still reports the zombie alive (else this test proves nothing)");
      assertTrue(probe.runningCreationTime(z.id().pid()).isEmpty());
      assertFalse(probe.isAlive(z.id()));
      assertEquals(0, probe.terminate(List.of(z.id())), "a zombie is not killed (nothing to kill)");
      assertTrue(z.parent().isAlive(), "its parent is untouched");
    }
  }
}
