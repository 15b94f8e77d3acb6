package dev.sandboxkit.lifecycle.internal.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(30)
class ProcStateTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "123 (sh) Z 1 123 123 0 -1|true",
      "123 (java) X 1 123 123 0 -1|true",
      "123 (sleep) S 1 123 123 0 -1|false",
      "123 (bwrap) R 1 123 123 0 -1|false",
      "123 (bwrap) T 1 123 123 0 -1|false",
      "123 (a) Z (b) S 1 2 3|false",   // the name may hold ') Z (': the state follows the LAST ')'
      "123 (a) S (b) Z 1 2 3|true",
      "123 (x|false",
      "123 (x)|false",
      "''|false"})
  void theStateFollowsTheLastParenthesis(String stat, boolean exited) {
    assertEquals(exited, ProcState.exitedState(stat));
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void thisJvmRunsAndUnknownPidsAreNotCalledExited() {
    assertFalse(ProcState.exited(ProcessHandle.current().pid()));
    assertFalse(ProcState.exited(0));
    assertFalse(ProcState.exited(-1));
    assertFalse(ProcState.exited(Integer.MAX_VALUE)); // no such pid: not "exited" (the JDK says gone)
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void aRealZombieHasExited() throws Exception {
    try (RealZombie z = RealZombie.start()) {
      assertTrue(ProcState.exited(z.id().pid()));
    }
  }
}
