package dev.sandboxkit;

import dev.sandboxkit.lifecycle.*;

import dev.sandboxkit.*;

import dev.sandboxkit.lifecycle.internal.vm.DriverSpi;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class SandboxDriversTest {

  @Test
  void byName() {
    assertEquals("bubblewrap", SandboxDrivers.byName("bubblewrap").name());
    assertEquals("bubblewrap", SandboxDrivers.byName(" Bubblewrap ").name());
    assertEquals(DriverSpi.Transport.UNIX, ((DriverSpi) SandboxDrivers.byName("bubblewrap")).transport());
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void autoIsBubblewrapOnLinux() {
    assertEquals("bubblewrap", SandboxDrivers.auto().name());
    assertEquals("bubblewrap", SandboxDrivers.byName("auto").name());
    assertEquals("bubblewrap", SandboxDrivers.all().get(0).name());
  }

  @Test
  void unknownNameListsTheValidOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SandboxDrivers.byName("docker"));
    assertEquals("unknown sandbox driver 'docker'; use one of auto, bubblewrap, windows-sandbox", e.getMessage());
  }

  @Test
  void windowsDriverIsConstructedByItsPublicNoArgConstructor() {
    try {
      SandboxDriver d = SandboxDrivers.byName("windows-sandbox");
      assertEquals("windows-sandbox", d.name());
      assertEquals(DriverSpi.Transport.TCP, ((DriverSpi) d).transport());
    } catch (IllegalStateException notBuiltYet) {
      assertTrue(notBuiltYet.getMessage().contains(SandboxDrivers.WINDOWS_DRIVER_CLASS), notBuiltYet.getMessage());
    }
  }

  @Test
  void bubblewrapDoctorChecksNeverThrow() {
    var checks = SandboxDrivers.byName("bubblewrap").prerequisites();
    assertTrue(checks.stream().anyMatch(c -> c.name().equals("bwrap installed")));
    assertTrue(checks.stream().allMatch(c -> c.ok() || !c.fix().isEmpty()), checks.toString());
  }
}
