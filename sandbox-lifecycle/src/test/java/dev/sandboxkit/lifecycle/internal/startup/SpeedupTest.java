package dev.sandboxkit.lifecycle.internal.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The A/B switches of the start-up speed-ups ({@link Speedup}): all on unless named. */
class SpeedupTest {
  private static Set<Speedup> off(String property, String env) {
    return Speedup.off(k -> k.equals(Speedup.PROPERTY) ? property : null,
        env == null ? Map.of() : Map.of(Speedup.ENV, env));
  }

  @Test
  void everyOneIsOnByDefault() {
    assertEquals(Set.of(), off(null, null));
    assertEquals(Set.of(), off("", " , "));
  }

  @Test
  void namesFromTheEnvironmentAndThePropertyAddUp() {
    assertEquals(EnumSet.of(Speedup.GUEST_CDS, Speedup.PRESTART), off("prestart", "guest-cds"));
    assertEquals(EnumSet.of(Speedup.GUEST_CDS), off(null, " Guest-CDS ,"));
    assertEquals(EnumSet.allOf(Speedup.class), off("all", null));
    assertEquals(Set.of(), off("no-such-speedup", null), "an unknown name turns nothing off");
  }

  @Test
  void theNamesOfRemovedSpeedupsAreAcceptedAndTurnNothingOff() {
    assertEquals(Set.of(), off("jna", "warmup,nonce-ahead"), "removed: nothing left to turn off");
    assertEquals(EnumSet.of(Speedup.PRESTART), off(null, "jna,prestart"), "an old list still works");
    assertEquals(Set.of("guest-cds", "prestart"),
        EnumSet.allOf(Speedup.class).stream().map(Speedup::switchName).collect(java.util.stream.Collectors.toSet()));
  }

  @Test
  void theGuestArchiveSwitchTurnsTheStartUpComponentsArchiveOff() {
    System.setProperty(Speedup.PROPERTY, "guest-cds,jna");
    try {
      StartUp s = StartUp.fromEnvironment();
      assertFalse(s.archiveConfig().enabled(), "guest-cds is off");
      assertTrue(s.archiveConfig().why().contains("guest-cds"), s.archiveConfig().why());
    } finally {
      System.clearProperty(Speedup.PROPERTY);
    }
  }

  @Test
  void withoutSwitchesTheArchiveIsOnWhenTheEnvironmentAllows() {
    StartUp s = StartUp.fromEnvironment();
    assertEquals(CdsConfig.fromEnvironment(), s.archiveConfig());
  }
}
