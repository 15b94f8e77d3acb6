package dev.sandboxkit.lifecycle.internal.vm.bubblewrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.lifecycle.NetworkAccess;
import dev.sandboxkit.lifecycle.ResourceLimits;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Issue 14.4: which limits a host can enforce and how (cgroup, or RLIMIT_NPROC inside the sandbox's
 * user namespace where no cgroup can be had), what doctor says, and the refusal of the rest.
 */
class LimitSupportTest {
  static final ResourceLimits PIDS = new ResourceLimits(0, 64, 0, 1 << 20);
  static final ResourceLimits ALL = new ResourceLimits(256L << 20, 64, 1.5, 1 << 20);
  static final RunCgroup.Layout NONE = new RunCgroup.Layout(Optional.of(RunCgroup.Version.V1), Map.of(),
      "cgroup v1: only no controller writable");
  static final RunCgroup.Layout FULL = new RunCgroup.Layout(Optional.of(RunCgroup.Version.V2),
      Map.of("memory", Path.of("/cg"), "pids", Path.of("/cg"), "cpu", Path.of("/cg")), "cgroup v2 at /cg");

  @Test
  void withoutACgroupThePidsLimitIsAnRlimitInsideTheSandbox() {
    LimitSupport s = new LimitSupport(NONE, true, "");
    assertEquals(Optional.empty(), s.cannotEnforce(PIDS));
    assertEquals(64, s.nproc(PIDS));
    assertEquals(0, s.cgroupPart(PIDS).pids(), "no cgroup for it");
    assertFalse(s.cgroupPart(PIDS).needsCgroup());
  }

  @Test
  void memoryAndCpuWithoutACgroupAreStillRefusedWithWhatToDo() {
    LimitSupport s = new LimitSupport(NONE, true, "");
    String why = s.cannotEnforce(ALL).orElseThrow();
    assertTrue(why.startsWith("the memory, cpu limits cannot be enforced"), why);
    assertTrue(why.contains("Delegate=yes"), why);
  }

  @Test
  void aCgroupIsPreferredToTheRlimit() {
    LimitSupport s = new LimitSupport(FULL, true, "");
    assertEquals(0, s.nproc(ALL));
    assertEquals(ALL, s.cgroupPart(ALL));
  }

  @Test
  void withoutTheFallbackThePidsLimitIsRefused() {
    LimitSupport s = new LimitSupport(NONE, false, "Linux 5.10 counts RLIMIT_NPROC per user on the whole host");
    assertTrue(s.cannotEnforce(PIDS).isPresent());
    assertEquals(0, s.nproc(PIDS));
    String d = s.describe();
    assertTrue(d.contains("not enforceable here, refused before launch: --memory, --pids, --cpus"), d);
    assertTrue(d.contains("no rlimit fallback for --pids: Linux 5.10"), d);
  }

  @Test
  void doctorSaysHowEachLimitIsEnforced() {
    assertEquals("--tmp-size (tmpfs size), --memory (cgroup v2), --pids (cgroup v2), --cpus (cgroup v2)",
        new LimitSupport(FULL, false, "x").describe());
    String d = new LimitSupport(NONE, true, "").describe();
    assertTrue(d.startsWith("--tmp-size (tmpfs size), --pids (RLIMIT_NPROC in the sandbox's user namespace); not"
        + " enforceable here, refused before launch: --memory, --cpus (cgroup v1: only no controller writable)"), d);
  }

  @Test
  void theKernelMustCountPerUserNamespace() {
    assertTrue(LimitSupport.perNamespaceNproc("6.18.44-fc-v1272"));
    assertTrue(LimitSupport.perNamespaceNproc("5.14.0-427.el9.x86_64"));
    assertFalse(LimitSupport.perNamespaceNproc("5.13.19"));
    assertFalse(LimitSupport.perNamespaceNproc("4.19.0"));
    assertFalse(LimitSupport.perNamespaceNproc("unknown"));
  }

  @Test
  void theRlimitIsSetInsideItsOwnUserNamespaceBeforeTheAgent() {
    BwrapCommand.Spec spec = BwrapCommandTest.spec(false, NetworkAccess.BLOCK, List.of())
        .withContainment(new Containment(3, false, 1 << 20, Optional.empty(), 64));
    List<String> a = BwrapCommand.build(spec, BwrapCommandTest.MERGED_USR);
    assertEquals(List.of("/usr/bin/bwrap", "--unshare-all", "--unshare-user"), a.subList(0, 3));
    int p = a.indexOf(LimitSupport.PRLIMIT);
    assertEquals(List.of(LimitSupport.PRLIMIT, "--nproc=64:64", "--", "/opt/sandboxkit/java/bin/java"),
        a.subList(p, p + 4));
    List<String> root = BwrapCommand.build(BwrapCommandTest.spec(true, NetworkAccess.BLOCK, List.of())
        .withContainment(new Containment(3, false, 1 << 20, Optional.empty(), 64)), BwrapCommandTest.MERGED_USR);
    assertFalse(root.contains(LimitSupport.PRLIMIT), "a root host uses its cgroups");
  }

  @Test
  void doctorHasALineForTheLimits() {
    var c = new BubblewrapDriver().prerequisites().stream()
        .filter(x -> x.name().equals("resource limits this host can enforce")).findFirst().orElseThrow();
    assertTrue(c.ok(), "a host without limits still runs sandboxes: " + c);
    assertTrue(c.detail().startsWith("--tmp-size (tmpfs size)"), c.detail());
  }
}
