package dev.sandboxkit.lifecycle.internal.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.lifecycle.FailurePhase;
import dev.sandboxkit.lifecycle.NetworkAccess;
import dev.sandboxkit.lifecycle.SandboxException;
import dev.sandboxkit.lifecycle.SandboxPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The planner against real paths: resolution, reserved paths, symlinks, driver capabilities. */
@DisabledOnOs(OS.WINDOWS)
class PolicyPlannerTest {

  @TempDir Path tmp;
  Path root;
  PolicyPlanner linux;
  PolicyPlanner windows;

  static PolicyPlanner bubblewrap(SystemView view, SandboxWriters writers) {
    return new PolicyPlanner(DriverCapabilities.bubblewrap(List.of(), view), writers);
  }

  @BeforeEach
  void setUp() throws IOException {
    root = tmp.toRealPath();
    linux = bubblewrap(SystemView.NONE, SandboxWriters.NONE);
    windows = new PolicyPlanner(DriverCapabilities.windowsSandbox(List.of()), SandboxWriters.NONE);
  }

  Path dir(String rel) throws IOException {
    return Files.createDirectories(root.resolve(rel));
  }

  Path file(String rel) throws IOException {
    Files.createDirectories(root.resolve(rel).getParent());
    return Files.writeString(root.resolve(rel), "secret");
  }

  static SandboxException rejected(PolicyPlanner planner, SandboxPolicy policy, String... fragments) {
    SandboxException e = assertThrows(SandboxException.class, () -> planner.plan(policy));
    assertEquals(FailurePhase.REJECTED, e.phase());
    assertEquals(planner.summary(), e.getMessage());
    for (String f : fragments) {
      assertTrue(e.detail().contains(f), () -> "'" + e.detail() + "' should contain '" + f + "'");
    }
    return e;
  }

  @Test
  void summaryNamesTheDriver() {
    assertEquals("The request's policy cannot be enforced by the bubblewrap driver.", linux.summary());
    assertEquals("The request's policy cannot be enforced by the windows-sandbox driver.", windows.summary());
  }

  @Test
  void emptyPolicyPlansNothing() throws Exception {
    PolicyPlan plan = linux.plan(SandboxPolicy.DEFAULT);
    assertEquals(List.of(), plan.mounts());
    assertEquals(NetworkAccess.BLOCK, plan.network());
  }

  @Test
  void existingDirectoriesAreMappedInOrder() throws Exception {
    Path rw = dir("rw");
    Path ro = dir("ro");
    PolicyPlan plan = linux.plan(SandboxPolicy.builder().readWrite(rw).readOnly(ro).build());
    assertEquals(List.of(new MountOp.Bind(rw, false, true), new MountOp.Bind(ro, true, true)), plan.mounts());
    assertEquals(List.of(new MappedFolder(rw, false)), plan.readWrite());
  }

  @Test
  void mappedPathsAreCanonicalisedAndALinkIsReportedWithItsTarget() throws Exception {
    Path real = dir("real");
    Path link = Files.createSymbolicLink(root.resolve("link"), real);
    Path dotted = root.resolve("x").resolve("..").resolve("real");
    dir("x");
    PolicyPlan plan = linux.plan(SandboxPolicy.builder().readWrite(link, dotted).build());
    assertEquals(List.of(new MountOp.Bind(real, false, true)), plan.mounts());
    assertTrue(plan.notes().stream().anyMatch(n -> n.contains(link + " -> " + real) && n.contains("maps \"" + real)),
        plan.notes().toString());
  }

  @Test
  void aSingleFileIsMappedOnBubblewrapAndRefusedOnWindowsSandbox() throws Exception {
    Path f = file("f.txt");
    assertEquals(List.of(new MountOp.Bind(f, true, false)),
        linux.plan(SandboxPolicy.builder().readOnly(f).build()).mounts());
    rejected(windows, SandboxPolicy.builder().readOnly(f).build(), f.toString(), "is a file",
        "windows-sandbox driver can only map directories");
  }

  @Test
  void missingPathIsRejectedWithThePath() {
    Path missing = root.resolve("missing");
    rejected(linux, SandboxPolicy.builder().readWrite(missing).build(), missing.toString(), "does not exist");
  }

  @Test
  void pathThroughAFileIsRejected() throws Exception {
    Path f = file("plain");
    rejected(linux, SandboxPolicy.builder().readOnly(f.resolve("x")).build(), "not a directory");
  }

  @Test
  void symlinkLoopIsRejected() throws Exception {
    Path a = root.resolve("a");
    Files.createSymbolicLink(a, root.resolve("b"));
    Files.createSymbolicLink(root.resolve("b"), a);
    rejected(linux, SandboxPolicy.builder().readOnly(a).build(), "too many levels of symbolic links");
  }

  @Test
  void relativePathsAreRejected() {
    rejected(linux, SandboxPolicy.builder().readWrite(Path.of("rel")).build(), "\"rel\"", "not an absolute");
    rejected(linux, SandboxPolicy.builder().deny(Path.of("secret")).build(), "\"secret\"", "not an absolute");
  }

  @Test
  void samePathReadOnlyBeatsReadWriteEvenThroughALink() throws Exception {
    Path d = dir("both");
    Path link = Files.createSymbolicLink(root.resolve("alias"), d);
    PolicyPlan plan = linux.plan(SandboxPolicy.builder().readWrite(d).readOnly(link).build());
    assertEquals(List.of(new MountOp.Bind(d, true, true)), plan.mounts());
    assertTrue(plan.notes().stream().anyMatch(n -> n.contains("read-only wins")), plan.notes().toString());
  }

  @Test
  void samePathDeniedBeatsAMappingAndNothingIsShown() throws Exception {
    Path d = dir("share");
    assertEquals(List.of(), linux.plan(SandboxPolicy.builder().readWrite(d).readOnly(d).deny(d).build()).mounts());
  }

  @Test
  void identicalDuplicatesAreCollapsed() throws Exception {
    Path a = dir("a");
    Path b = dir("b");
    assertEquals(List.of(new MountOp.Bind(a, false, true), new MountOp.Bind(b, true, true)),
        linux.plan(SandboxPolicy.builder().readWrite(a, a).readOnly(b, b).build()).mounts());
  }

  @Test
  void readOnlyFolderInsideAReadWriteOneOnBubblewrapNotOnWindowsSandbox() throws Exception {
    Path outer = dir("a");
    Path inner = dir("a/b/c");
    assertEquals(List.of(new MountOp.Bind(outer, false, true), new MountOp.Bind(inner, true, true)),
        linux.plan(SandboxPolicy.builder().readOnly(inner).readWrite(outer).build()).mounts());
    rejected(windows, SandboxPolicy.builder().readWrite(outer).readOnly(inner).build(), "lies inside mapped path",
        outer.toString(), inner.toString(), "windows-sandbox driver cannot nest");
  }

  @Test
  void deniedInsideAMappingIsMaskedOnBubblewrapAndRefusedOnWindowsSandbox() throws Exception {
    Path share = dir("share");
    Path secretDir = dir("share/secret");
    Path secretFile = file("share/key.pem");
    assertEquals(List.of(new MountOp.Bind(share, true, true), new MountOp.MaskDir(secretDir),
        new MountOp.MaskFile(secretFile)),
        linux.plan(SandboxPolicy.builder().readOnly(share).deny(secretDir, secretFile).build()).mounts());
    rejected(windows, SandboxPolicy.builder().readOnly(share).deny(secretDir).build(), secretDir.toString(),
        "lies inside mapped folder", "windows-sandbox driver cannot hide part of a mapped folder");
  }

  @Test
  void deniedSymlinkMasksItsCanonicalTarget() throws Exception {
    Path share = dir("share");
    Path target = file("share/real/secret.txt");
    Path link = Files.createSymbolicLink(share.resolve("alias.txt"), target);
    Path dirLink = Files.createSymbolicLink(root.resolve("outside"), share.resolve("real"));
    assertEquals(List.of(new MountOp.Bind(share, false, true), new MountOp.MaskDir(share.resolve("real")),
        new MountOp.MaskFile(target)),
        linux.plan(SandboxPolicy.builder().readWrite(share).deny(link, dirLink).build()).mounts());
  }

  @Test
  void missingDeniedPathHidesNothingAndSaysSo() throws Exception {
    Path share = dir("share");
    Path link = Files.createSymbolicLink(root.resolve("alias"), share);
    PolicyPlan plan = linux.plan(SandboxPolicy.builder().readOnly(share).deny(link.resolve("not/yet")).build());
    assertEquals(List.of(new MountOp.Bind(share, true, true)), plan.mounts());
    assertTrue(plan.notes().stream().anyMatch(n -> n.contains(share.resolve("not/yet").toString())
        && n.contains("does not exist")), plan.notes().toString());
  }

  @Test
  void mappingInsideADeniedParentPunchesThrough() throws Exception {
    Path share = dir("parent/share");
    Path parent = root.resolve("parent");
    assertEquals(List.of(new MountOp.Bind(share, false, true)),
        linux.plan(SandboxPolicy.builder().readWrite(share).deny(parent).build()).mounts());
    assertEquals(List.of(new MountOp.Bind(share, false, true)),
        windows.plan(SandboxPolicy.builder().readWrite(share).deny(parent).build()).mounts());
  }

  @Test
  void deniedOutsideEverythingVisibleNeedsNoMount() throws Exception {
    Path share = dir("a/foo");
    Path other = dir("a/foobar");
    assertEquals(List.of(new MountOp.Bind(share, false, true)),
        linux.plan(SandboxPolicy.builder().readWrite(share).deny(other).build()).mounts());
  }

  @Test
  void deniedRootIsRefused() {
    rejected(linux, SandboxPolicy.builder().deny(Path.of("/")).build(), "root of the file system");
  }

  @Test
  void windowsRulesCompareCaseInsensitively() throws Exception {
    Path upper = dir("case/Foo");
    Path lower = dir("case/foo");
    assertEquals(List.of(new MountOp.Bind(lower, true, true)),
        windows.plan(SandboxPolicy.builder().readWrite(upper).readOnly(lower).build()).mounts());
    assertEquals(2, linux.plan(SandboxPolicy.builder().readWrite(upper).readOnly(lower).build()).mounts().size());
    Path innerLower = dir("case/foo/bar");
    rejected(windows, SandboxPolicy.builder().readWrite(upper, innerLower).build(), "cannot nest");
  }

  // --- issue 14 item 5: reserved paths and planted links ---

  @Test
  void systemPathsAndTheDriversOwnMountPointsAreRefused() {
    for (String p : List.of("/", "/proc", "/proc/1/root", "/sys", "/sys/kernel", "/dev", "/dev/shm", "/run",
        "/opt/sandboxkit", "/opt/sandboxkit/java", "/opt", "/tmp")) {
      rejected(linux, SandboxPolicy.builder().readOnly(Path.of(p)).build(), "\"" + p + "\"", "cannot be mapped");
    }
  }

  @Test
  void reservedPathIsRefusedAlsoWhenReachedThroughALink() throws Exception {
    Path link = Files.createSymbolicLink(root.resolve("proclink"), Path.of("/proc"));
    rejected(linux, SandboxPolicy.builder().readOnly(link).build(), "resolved to \"/proc\"", "procfs");
  }

  @Test
  void theStateRootIsRefusedInsideAndAround() throws Exception {
    Path state = dir("state/oneshot");
    PolicyPlanner p = new PolicyPlanner(DriverCapabilities.bubblewrap(List.of(new DriverCapabilities.Reserved(state,
        DriverCapabilities.Extent.OVERLAP, "it is sandboxkit's state folder")), SystemView.NONE), SandboxWriters.NONE);
    rejected(p, SandboxPolicy.builder().readWrite(state).build(), "state folder");
    rejected(p, SandboxPolicy.builder().readWrite(root.resolve("state")).build(), "contains", "state folder");
    rejected(p, SandboxPolicy.builder().readWrite(dir("state/oneshot/run")).build(), "lies inside", "state folder");
  }

  @Test
  void aLinkASandboxCouldHavePlantedIsRefusedWithItsTarget() throws Exception {
    Path rw = dir("rw");
    Path etc = dir("hostetc");
    Path link = Files.createSymbolicLink(rw.resolve("etclink"), etc);
    SandboxWriters sandboxWritesRw = entry -> entry.startsWith(rw);
    PolicyPlanner p = bubblewrap(SystemView.NONE, sandboxWritesRw);
    rejected(p, SandboxPolicy.builder().readOnly(link).build(), link + " -> " + etc, "resolves to \"" + etc + "\"",
        "planted", "Map \"" + etc + "\" directly");
    // the same link in a folder no sandbox can write is only reported
    assertEquals(List.of(new MountOp.Bind(etc, true, true)),
        bubblewrap(SystemView.NONE, SandboxWriters.NONE).plan(SandboxPolicy.builder().readOnly(link).build()).mounts());
  }

  @Test
  void aReplaceableFolderOnTheWayToALinkIsRefused() throws Exception {
    Path rw = dir("rw");
    Path target = dir("target");
    Path sub = dir("rw/sub");
    Path link = Files.createSymbolicLink(sub.resolve("l"), target);
    SandboxWriters onlyRwChildren = entry -> entry.equals(sub); // rw is writable: sub could be swapped
    rejected(bubblewrap(SystemView.NONE, onlyRwChildren), SandboxPolicy.builder().readWrite(link).build(),
        "the folder " + sub, "on the way to the symlink " + link);
  }

  @Test
  void aPlainPathInAWritableFolderIsNotALinkAndIsMapped() throws Exception {
    Path rw = dir("rw/data");
    assertEquals(1, bubblewrap(SystemView.NONE, entry -> true).plan(SandboxPolicy.builder().readOnly(rw).build())
        .mounts().size());
  }

  // --- what the driver shows by itself: masked or refused, never ignored ---

  @Test
  void deniedPathTheDriverShowsIsMaskedWhereTheSandboxSeesIt() throws Exception {
    Path usr = dir("usr");
    Path gdb = file("usr/bin/gdb");
    Path passwdTarget = file("hostetc/passwd");
    Path ssl = dir("hostetc/ssl");
    SystemView view = new SystemView(List.of(
        new SystemView.Exposed(Path.of("/usr"), usr, true),
        new SystemView.Exposed(Path.of("/etc/passwd"), passwdTarget, false),
        new SystemView.Exposed(Path.of("/etc/ssl"), ssl, true)), List.of());
    PolicyPlanner p = bubblewrap(view, SandboxWriters.NONE);
    assertEquals(List.of(new MountOp.MaskFile(Path.of("/etc/passwd")), new MountOp.MaskDir(Path.of("/etc/ssl")),
        new MountOp.MaskFile(Path.of("/usr/bin/gdb"))),
        p.plan(SandboxPolicy.builder().deny(gdb, passwdTarget, ssl).build()).mounts());
    // denying a folder that contains what the driver shows masks each shown entry
    assertEquals(List.of(new MountOp.MaskFile(Path.of("/etc/passwd")), new MountOp.MaskDir(Path.of("/etc/ssl"))),
        p.plan(SandboxPolicy.builder().deny(root.resolve("hostetc")).build()).mounts());
  }

  @Test
  void deniedJavaRuntimeIsRefused() throws Exception {
    Path jdk = dir("jvm/java-17");
    SystemView view = new SystemView(List.of(), List.of(new SystemView.Needed(jdk, "the Java runtime")));
    PolicyPlanner p = bubblewrap(view, SandboxWriters.NONE);
    rejected(p, SandboxPolicy.builder().deny(root.resolve("jvm")).build(), "contains the Java runtime",
        "cannot hide it");
    rejected(p, SandboxPolicy.builder().deny(dir("jvm/java-17/lib")).build(), "lies inside the Java runtime");
  }

  // --- network ---

  @Test
  void allowNetworkRejectedWhenTheDriverCannotEnforceIt() {
    rejected(windows, SandboxPolicy.builder().network(NetworkAccess.ALLOW).build(), "network ALLOW",
        "windows-sandbox");
  }

  @Test
  void allowNetworkAcceptedByBubblewrap() throws Exception {
    assertEquals(NetworkAccess.ALLOW, linux.plan(SandboxPolicy.builder().network(NetworkAccess.ALLOW).build()).network());
  }

  @Test
  void hostListsAreRejected() {
    rejected(linux, SandboxPolicy.builder().allowedHosts(List.of("example.com")).build(), "per-host", "example.com");
    rejected(linux, SandboxPolicy.builder().blockedHosts(List.of("evil.test")).build(), "per-host");
  }

  @Test
  void proxyIsRejectedWithoutEchoingIt() {
    SandboxException e = rejected(linux, SandboxPolicy.builder().proxy("http://user:pw@proxy:3128").build(), "proxy");
    assertTrue(!e.detail().contains("pw@"), e.detail());
  }

  @Test
  void driverThatSupportsEverythingAcceptsNetworkFeatures() throws Exception {
    PolicyPlanner all = new PolicyPlanner(new DriverCapabilities("x", PathRules.LINUX,
        new NetworkSupport(true, true, true), true, true, true, List.of(), SystemView.NONE), SandboxWriters.NONE);
    all.plan(SandboxPolicy.builder().network(NetworkAccess.ALLOW).allowedHosts(List.of("a")).proxy("http://p:1").build());
  }

  static List<String> notes() {
    return new ArrayList<>();
  }
}
