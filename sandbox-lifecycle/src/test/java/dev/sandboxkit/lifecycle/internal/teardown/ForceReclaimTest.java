package dev.sandboxkit.lifecycle.internal.teardown;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ForceReclaimTest {

  @Test
  void absentIsFalse() {
    assertFalse(ForceReclaim.requested(Map.of("PATH", "/bin")));
  }

  @Test
  void sandboxkitVariablePresenceIsEnoughEvenEmpty() {
    assertTrue(ForceReclaim.requested(Map.of("SANDBOXKIT_FORCE_RECLAIM", "")));
    assertTrue(ForceReclaim.requested(Map.of("SANDBOXKIT_FORCE_RECLAIM", "0")));
  }

  @Test
  void mxcVariableIsHonoured() {
    assertTrue(ForceReclaim.requested(Map.of("WXC_WSB_FORCE_RECLAIM", "")));
  }
}
