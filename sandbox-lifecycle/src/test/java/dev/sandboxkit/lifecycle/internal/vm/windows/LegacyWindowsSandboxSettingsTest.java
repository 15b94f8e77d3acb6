package dev.sandboxkit.lifecycle.internal.vm.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class LegacyWindowsSandboxSettingsTest {
  private static final Optional<String> WARN = Optional.of(LegacyWindowsSandboxSettings.WARNING);

  @Test
  void absentOrDefaultValuesAreSilent() {
    assertEquals(Optional.empty(), LegacyWindowsSandboxSettings.warningFor(null, null, null));
    assertEquals(Optional.empty(), LegacyWindowsSandboxSettings.warningFor(300_000L, null, "wxc-windows-sandbox"));
    assertEquals(Optional.empty(), LegacyWindowsSandboxSettings.warningFor(null, 300_000L, null));
  }

  @Test
  void nonDefaultValuesWarnOnce() {
    assertEquals(WARN, LegacyWindowsSandboxSettings.warningFor(1L, null, null));
    assertEquals(WARN, LegacyWindowsSandboxSettings.warningFor(null, null, "other-pipe"));
    assertEquals(WARN, LegacyWindowsSandboxSettings.warningFor(5L, 7L, "other-pipe"));
  }

  @Test
  void idleTimeoutCountsOnlyWithoutIdleTimeoutMsAndIsNotConverted() {
    assertEquals(Optional.empty(), LegacyWindowsSandboxSettings.warningFor(300_000L, 5L, null));
    assertEquals(WARN, LegacyWindowsSandboxSettings.warningFor(null, 300L, null), "300 (seconds?) is not 300000");
  }

  @Test
  void theWarningIsMxcsLine() {
    assertEquals("warning: experimental.windows_sandbox.idleTimeoutMs and daemonPipeName are ignored by the"
        + " one-shot backend; each invocation launches and tears down a fresh VM", LegacyWindowsSandboxSettings.WARNING);
  }
}
