package dev.sandboxkit.lifecycle.internal.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VmProcIdTest {

  @Test
  void equalityUsesPidAndCreationTime() {
    assertEquals(new VmProcId(100, 5), new VmProcId(100, 5));
    assertNotEquals(new VmProcId(100, 5), new VmProcId(100, 6));
    assertNotEquals(new VmProcId(100, 5), new VmProcId(101, 5));
  }

  @Test
  void pidIsUnsigned32Bit() {
    assertEquals(4_294_967_295L, new VmProcId(4_294_967_295L, 1).pid());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new VmProcId(4_294_967_296L, 1));
    assertTrue(e.getMessage().contains("4294967296"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new VmProcId(-1, 1));
  }

  @Test
  void negativeCreationTimeIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> new VmProcId(1, -5));
  }

  @Test
  void currentIsThisJvmWithItsStartAsFiletime() {
    VmProcId me = VmProcId.current().orElseThrow();
    assertEquals(ProcessHandle.current().pid(), me.pid());
    assertEquals(ProcessHandle.current().info().startInstant().orElseThrow(), Filetime.toInstant(me.creationTime()));
  }

  @Test
  void toStringShowsPidSlashFiletime() {
    assertEquals("42/7", new VmProcId(42, 7).toString());
  }
}
