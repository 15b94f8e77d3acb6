package dev.sandboxkit.lifecycle.internal.vm.bubblewrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.lifecycle.NetworkAccess;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Issue 14.4: the launched sandbox's rendezvous folder is a small tmpfs of its own with the nonce
 * copied in from a descriptor, not a bind of a host folder the workload could fill or plant in for a
 * later run; training sandboxes (no nonce descriptor) keep the bind.
 */
class RendezvousTmpfsCommandTest {
  static final Containment INSIDE = new Containment(3, false, 1 << 20, Optional.empty(), 0, false, 4);

  @Test
  void theRendezvousIsASizedOwnerOnlyTmpfsWithTheNonceCopiedFromItsDescriptor() {
    for (boolean root : new boolean[] {true, false}) {
      List<String> a = BwrapCommand.build(BwrapCommandTest.spec(root, NetworkAccess.BLOCK, List.of())
          .withContainment(INSIDE), BwrapCommandTest.MERGED_USR);
      int tmpfs = Collections.indexOfSubList(a, List.of("--tmpfs", "/opt/sandboxkit/rendezvous"));
      assertTrue(tmpfs > 0, a.toString());
      assertEquals(List.of("--perms", "0700", "--size", "65536"), a.subList(tmpfs - 4, tmpfs));
      assertEquals(List.of("--perms", "0600", "--file", "4", "/opt/sandboxkit/rendezvous/nonce.bin"),
          a.subList(tmpfs + 2, tmpfs + 7));
      assertFalse(a.contains("/tmp/sk/oneshot/run1/rendezvous"), "no host folder is bound: " + a);
      assertTrue(a.indexOf("--rendezvous") > tmpfs, "the guest is pointed at the tmpfs");
    }
  }

  @Test
  void withoutANonceDescriptorTheHostFolderIsBound() {
    Containment c = new Containment(3, false, 1 << 20, Optional.empty(), 0, false);
    assertFalse(c.rendezvousInside());
    List<String> a = BwrapCommand.build(BwrapCommandTest.spec(false, NetworkAccess.BLOCK, List.of())
        .withContainment(c), BwrapCommandTest.MERGED_USR);
    assertTrue(Collections.indexOfSubList(a,
        List.of("--bind", "/tmp/sk/oneshot/run1/rendezvous", "/opt/sandboxkit/rendezvous")) > 0, a.toString());
    assertFalse(a.contains("--file"), a.toString());
  }

  @Test
  void theNonceAndTheFilterCannotShareADescriptor() {
    assertThrows(IllegalArgumentException.class,
        () -> new Containment(3, false, 1 << 20, Optional.empty(), 0, false, 3));
  }
}
