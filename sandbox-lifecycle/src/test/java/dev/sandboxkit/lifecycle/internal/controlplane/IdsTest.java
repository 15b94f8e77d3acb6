package dev.sandboxkit.lifecycle.internal.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IdsTest {

  @Test
  void isAVersion4IetfUuidThatRoundTripsThroughItsText() {
    for (int i = 0; i < 1_000; i++) {
      UUID u = Ids.uuid();
      assertEquals(4, u.version());
      assertEquals(2, u.variant());
      assertEquals(u, UUID.fromString(u.toString()));
    }
  }

  @Test
  void doesNotRepeat() {
    Set<UUID> seen = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      seen.add(Ids.uuid());
    }
    assertEquals(100_000, seen.size());
  }
}
