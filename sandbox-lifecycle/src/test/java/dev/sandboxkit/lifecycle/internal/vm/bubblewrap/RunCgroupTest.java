package dev.sandboxkit.lifecycle.internal.vm.bubblewrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.lifecycle.FailurePhase;
import dev.sandboxkit.lifecycle.ResourceLimits;
import dev.sandboxkit.lifecycle.SandboxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cgroup layout probe and the limit files, on fake cgroup trees. */
class RunCgroupTest {
  @TempDir Path temp;
  static final ResourceLimits ALL = new ResourceLimits(256L << 20, 64, 1.5, 8L << 20);

  Path selfCgroup(String text) throws Exception {
    return Files.writeString(temp.resolve("self-cgroup"), text);
  }

  @Test
  void v1WithEveryControllerWritableEnforcesAll() throws Exception {
    Path root = temp.resolve("cg");
    for (String c : List.of("memory", "pids", "cpu")) {
      Files.createDirectories(root.resolve(c).resolve("box"));
    }
    Files.writeString(root.resolve("cpu/box/cpu.cfs_period_us"), "100000\n");
    RunCgroup.Layout l = RunCgroup.probe(root, selfCgroup("4:memory:/box\n8:pids:/box\n1:cpu,cpuacct:/box\n0::/\n"));
    assertEquals(Optional.empty(), l.cannotEnforce(ALL), l.why());
    RunCgroup cg = RunCgroup.create(l, "run1", ALL).orElseThrow();
    assertEquals(String.valueOf(256L << 20), Files.readString(root.resolve("memory/box/sandboxkit-run1/memory.limit_in_bytes")));
    assertEquals("64", Files.readString(root.resolve("pids/box/sandboxkit-run1/pids.max")));
    assertEquals("150000", Files.readString(root.resolve("cpu/box/sandboxkit-run1/cpu.cfs_quota_us")));
    assertEquals(3, cg.procsFiles().size());
    assertTrue(cg.procsFiles().stream().allMatch(p -> p.getFileName().toString().equals("cgroup.procs")));
  }

  @Test
  void v1WithoutAPidsControllerRefusesAPidsLimitAndSaysWhatToDo() throws Exception {
    Path root = temp.resolve("cg");
    Files.createDirectories(root.resolve("memory/box"));
    RunCgroup.Layout l = RunCgroup.probe(root, selfCgroup("4:memory:/box\n"));
    assertEquals(Optional.empty(), l.cannotEnforce(new ResourceLimits(256L << 20, 0, 0, 1 << 20)));
    String why = l.cannotEnforce(ALL).orElseThrow();
    assertTrue(why.contains("pids, cpu limits cannot be enforced"), why);
    assertTrue(why.contains("delegated"), why);
    SandboxException e = assertThrows(SandboxException.class, () -> RunCgroup.create(l, "r", ALL));
    assertEquals(FailurePhase.REJECTED, e.phase());
    assertEquals(List.of(), listRunDirs(root.resolve("memory/box")), "nothing made before refusing");
  }

  @Test
  void v2UsesTheFirstDelegatedFolderWithTheControllersEnabled() throws Exception {
    Path root = temp.resolve("cg2");
    Files.createDirectories(root.resolve("user.slice/app.scope"));
    Files.writeString(root.resolve("cgroup.controllers"), "cpu memory pids\n");
    Files.writeString(root.resolve("user.slice/cgroup.subtree_control"), "cpu memory pids\n");
    Files.writeString(root.resolve("user.slice/app.scope/cgroup.subtree_control"), "\n");
    RunCgroup.Layout l = RunCgroup.probe(root, selfCgroup("0::/user.slice/app.scope\n"));
    assertEquals(Optional.empty(), l.cannotEnforce(ALL), l.why());
    RunCgroup cg = RunCgroup.create(l, "r2", ALL).orElseThrow();
    Path d = root.resolve("user.slice/sandboxkit-r2");
    assertEquals(String.valueOf(256L << 20), Files.readString(d.resolve("memory.max")));
    assertEquals("64", Files.readString(d.resolve("pids.max")));
    assertEquals("150000 100000", Files.readString(d.resolve("cpu.max")));
    assertEquals(List.of(d.resolve("cgroup.procs")), cg.procsFiles());
  }

  @Test
  void v2WithoutDelegationRefuses() throws Exception {
    Path root = temp.resolve("cg2");
    Files.createDirectories(root.resolve("a/b"));
    Files.writeString(root.resolve("cgroup.controllers"), "cpu memory pids\n");
    RunCgroup.Layout l = RunCgroup.probe(root, selfCgroup("0::/a/b\n"));
    assertTrue(l.cannotEnforce(ALL).orElseThrow().contains("memory, pids, cpu limits cannot be enforced"));
    assertEquals(Optional.empty(), l.cannotEnforce(ResourceLimits.DEFAULT), "no cgroup needed without limits");
  }

  @Test
  void noLimitsNoCgroup() throws Exception {
    RunCgroup.Layout l = RunCgroup.probe(temp, selfCgroup(""));
    assertEquals(Optional.empty(), RunCgroup.create(l, "x", ResourceLimits.DEFAULT));
  }

  static List<Path> listRunDirs(Path dir) throws Exception {
    try (var s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith("sandboxkit-")).toList();
    }
  }
}
