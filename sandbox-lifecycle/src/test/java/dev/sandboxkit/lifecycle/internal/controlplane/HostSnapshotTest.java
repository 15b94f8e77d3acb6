package dev.sandboxkit.lifecycle.internal.controlplane;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HostSnapshotTest {

  @Test
  void emptySnapshotHasNothingPresent() {
    assertFalse(HostSnapshot.EMPTY.anyPresent());
  }

  @Test
  void identifiedOrUnidentifiableCountAsPresent() {
    assertTrue(HostSnapshot.of(List.of(new VmProcId(1, 2))).anyPresent());
    assertTrue(new HostSnapshot(List.of(), List.of(7L)).anyPresent());
  }
}
