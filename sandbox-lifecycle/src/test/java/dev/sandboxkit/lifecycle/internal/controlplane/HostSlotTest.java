package dev.sandboxkit.lifecycle.internal.controlplane;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HostSlotTest {

  @Test
  void noneAlwaysAcquiresAndAllowsParallelHolders() throws Exception {
    Optional<HostSlot.Lease> a = HostSlot.NONE.tryAcquire(Duration.ZERO);
    Optional<HostSlot.Lease> b = HostSlot.NONE.tryAcquire(Duration.ZERO);
    assertTrue(a.isPresent());
    assertTrue(b.isPresent());
    a.get().close();
    a.get().close();
    b.get().close();
  }
}
