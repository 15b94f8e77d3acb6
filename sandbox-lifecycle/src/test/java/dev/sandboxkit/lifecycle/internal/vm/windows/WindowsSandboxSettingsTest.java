package dev.sandboxkit.lifecycle.internal.vm.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class WindowsSandboxSettingsTest {
  @Test
  void unsetPropertiesGiveTheDefaults() {
    WindowsSandboxSettings s = WindowsSandboxSettings.from(k -> null);
    assertEquals(WindowsSandboxSettings.DEFAULT, s);
    assertEquals(Optional.empty(), s.javaHome());
    assertEquals(OptionalLong.empty(), s.memoryInMb());
  }

  @Test
  void propertiesOverrideJavaHomeAndMemory() {
    Map<String, String> p = Map.of(WindowsSandboxSettings.JAVA_HOME_PROPERTY, " C:\\jdk17 ",
        WindowsSandboxSettings.MEMORY_PROPERTY, "4096");
    WindowsSandboxSettings s = WindowsSandboxSettings.from(p::get);
    assertEquals(Optional.of(Path.of("C:\\jdk17")), s.javaHome());
    assertEquals(OptionalLong.of(4096), s.memoryInMb());
  }

  @Test
  void malformedMemoryNamesTheProperty() {
    for (String bad : new String[] {"4 GB", "0", "-1"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> WindowsSandboxSettings.from(k -> k.equals(WindowsSandboxSettings.MEMORY_PROPERTY) ? bad : null));
      assertTrue(e.getMessage().contains("sandboxkit.windows.memoryInMB"), e.getMessage());
    }
  }
}
