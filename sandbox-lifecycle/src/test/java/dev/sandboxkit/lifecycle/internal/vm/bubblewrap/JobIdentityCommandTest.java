package dev.sandboxkit.lifecycle.internal.vm.bubblewrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.lifecycle.NetworkAccess;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Issue 14.1/14.2 on a root host: the agent keeps uid 0 with only the capabilities jobs need, and is
 * told the sandbox's own job identity; the user-namespace path and training sandboxes keep the
 * agent's identity for jobs.
 */
class JobIdentityCommandTest {
  static final Containment APART = new Containment(3, false, 1 << 20,
      Optional.of(new Containment.JobIdentity(1_900_000_007L, 65534)));

  @Test
  void rootAgentKeepsUidZeroWithTheJobCapabilitiesOnly() {
    List<String> a = BwrapCommand.build(BwrapCommandTest.spec(true, NetworkAccess.BLOCK, List.of())
        .withContainment(APART), BwrapCommandTest.MERGED_USR);
    int setenv = a.indexOf(BwrapCommand.JOB_USER_ENV);
    assertTrue(setenv > 0 && a.get(setenv - 1).equals("--setenv"), a.toString());
    assertEquals("1900000007:65534", a.get(setenv + 1));
    int setpriv = a.indexOf(BwrapCommand.SETPRIV);
    assertEquals(List.of(BwrapCommand.SETPRIV, "--clear-groups", "--inh-caps=-all",
        "--bounding-set=-all,+setuid,+setgid,+setpcap,+kill", "--no-new-privs", "/opt/sandboxkit/java/bin/java"),
        a.subList(setpriv, setpriv + 6));
    assertFalse(a.stream().anyMatch(x -> x.startsWith("--reuid")), "the agent is not dropped to the job's uid");
  }

  @Test
  void theUserNamespacePathIgnoresAJobIdentity() {
    List<String> a = BwrapCommand.build(BwrapCommandTest.spec(false, NetworkAccess.BLOCK, List.of())
        .withContainment(APART), BwrapCommandTest.MERGED_USR);
    assertFalse(a.contains(BwrapCommand.JOB_USER_ENV), a.toString());
    assertFalse(a.contains(BwrapCommand.SETPRIV), a.toString());
  }

  @Test
  void withoutAJobIdentityTheAgentIsDroppedAsBefore() {
    List<String> a = BwrapCommand.build(BwrapCommandTest.spec(true, NetworkAccess.BLOCK, List.of()),
        BwrapCommandTest.MERGED_USR);
    assertFalse(a.contains(BwrapCommand.JOB_USER_ENV));
    assertTrue(a.contains("--reuid=65534"), a.toString());
  }

  @Test
  void aJobIdentityIsNeverRoot() {
    assertThrows(IllegalArgumentException.class, () -> new Containment.JobIdentity(0, 65534));
    assertThrows(IllegalArgumentException.class, () -> new Containment.JobIdentity(1_900_000_000L, 0));
  }

  @Test
  void writeAsOwnerMapsRootInWithoutCapabilitiesAndWithoutSetpriv() {
    List<String> a = BwrapCommand.build(BwrapCommandTest.spec(true, NetworkAccess.BLOCK, List.of())
        .withContainment(new Containment(3, false, 1 << 20, Optional.empty(), 0, true)), BwrapCommandTest.MERGED_USR);
    assertEquals(List.of("/usr/bin/bwrap", "--unshare-all", "--unshare-user", "--uid", "0", "--gid", "0",
        "--cap-drop", "ALL"), a.subList(0, 9));
    assertFalse(a.contains(BwrapCommand.SETPRIV), a.toString());
    assertFalse(a.contains(BwrapCommand.JOB_USER_ENV), a.toString());
    int proc = a.indexOf("--proc");
    assertEquals(List.of("--proc", "/proc", "--dev", "/dev", "--ro-bind-try", "/proc/sys", "/proc/sys"),
        a.subList(proc, proc + 7), "sysctls stay read-only with host root mapped in");
    assertThrows(IllegalArgumentException.class, () -> new Containment(3, false, 1 << 20,
        Optional.of(new Containment.JobIdentity(1_900_000_000L, 65534)), 0, true));
  }
}
