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
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

@DisabledOnOs(OS.WINDOWS)
class PolicyPlannerTest {

  @TempDir Path tmp;
  Path root;
  PolicyPlanner linux;
  PolicyPlanner windows;

  @BeforeEach
  void setUp() throws IOException {
    root = tmp.toRealPath();
    linux = new PolicyPlanner("bubblewrap", PathRules.LINUX, NetworkSupport.BUBBLEWRAP);
    windows = new PolicyPlanner("Windows Sandbox", PathRules.WINDOWS, NetworkSupport.BLOCK_ONLY);
  }

  Path dir(String rel) throws IOException {
    return Files.createDirectories(root.resolve(rel));
  }

  SandboxException rejected(PolicyPlanner planner, SandboxPolicy policy, String... fragments) {
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
  }

  @Test
  void emptyPolicyPlansNothing() throws Exception {
    PolicyPlan plan = linux.plan(SandboxPolicy.DEFAULT);
    assertEquals(List.of(), plan.mappedFolders());
    assertEquals(List.of(), plan.denied());
    assertEquals(NetworkAccess.BLOCK, plan.network());
  }

  @Test
  void existingDirectoriesAreMappedInOrder() throws Exception {
    Path rw = dir("rw");
    Path ro = dir("ro");
    PolicyPlan plan = linux.plan(SandboxPolicy.builder().readWrite(rw).readOnly(ro).build());
    assertEquals(List.of(new MappedFolder(rw, false), new MappedFolder(ro, true)), plan.mappedFolders());
    assertEquals(List.of(new MappedFolder(rw, false)), plan.readWrite());
  }

  @Test
  void mappedPathsAreCanonicalised() throws Exception {
    Path real = dir("real");
    Path link = Files.createSymbolicLink(root.resolve("link"), real);
    Path dotted = root.resolve("x").resolve("..").resolve("real");
    dir("x");
    assertEquals(List.of(new MappedFolder(real, false)),
        linux.plan(SandboxPolicy.builder().readWrite(link, dotted).build()).mappedFolders());
  }

  @Test
  void fileIsRejectedWithThePath() throws Exception {
    Path file = Files.writeString(root.resolve("f.txt"), "x");
    rejected(linux, SandboxPolicy.builder().readOnly(file).build(), file.toString(), "is a file",
        "Map its parent directory instead");
  }

  @Test
  void missingPathIsRejectedWithThePath() {
    Path missing = root.resolve("missing");
    rejected(linux, SandboxPolicy.builder().readWrite(missing).build(), missing.toString(), "does not exist");
  }

  @Test
  void relativeMappedPathIsRejected() {
    rejected(linux, SandboxPolicy.builder().readWrite(Path.of("rel")).build(), "\"rel\"", "not an absolute");
  }

  @Test
  void samePathReadWriteAndReadOnlyIsRejected() throws Exception {
    Path d = dir("both");
    rejected(linux, SandboxPolicy.builder().readWrite(d).readOnly(d).build(), d.toString(),
        "both read-write and read-only");
  }

  @Test
  void samePathThroughASymlinkReadWriteAndReadOnlyIsRejected() throws Exception {
    Path d = dir("both");
    Path link = Files.createSymbolicLink(root.resolve("alias"), d);
    rejected(linux, SandboxPolicy.builder().readWrite(d).readOnly(link).build(), "both read-write and read-only");
  }

  @Test
  void identicalDuplicatesAreCollapsed() throws Exception {
    Path a = dir("a");
    Path b = dir("b");
    PolicyPlan plan = linux.plan(SandboxPolicy.builder().readWrite(a, a).readOnly(b, b).build());
    assertEquals(List.of(new MappedFolder(a, false), new MappedFolder(b, true)), plan.mappedFolders());
  }

  @Test
  void nestedMappedRootsAreRejected() throws Exception {
    Path outer = dir("a");
    Path inner = dir("a/b/c");
    rejected(linux, SandboxPolicy.builder().readWrite(outer).readOnly(inner).build(), "overlaps", outer.toString(),
        inner.toString());
    rejected(linux, SandboxPolicy.builder().readWrite(inner, outer).build(), "nested");
  }

  @Test
  void siblingWithCommonPrefixIsNotNesting() throws Exception {
    Path foo = dir("a/foo");
    Path foobar = dir("a/foobar");
    assertEquals(2, linux.plan(SandboxPolicy.builder().readWrite(foo).readOnly(foobar).build()).mappedFolders().size());
  }

  @Test
  void relativeDeniedPathIsRejected() throws Exception {
    rejected(linux, SandboxPolicy.builder().deny(Path.of("secret")).build(), "\"secret\"", "not an absolute");
  }

  @Test
  void deniedEqualToShareIsRejected() throws Exception {
    Path share = dir("share");
    rejected(linux, SandboxPolicy.builder().readWrite(share).deny(share).build(), "is the same as mapped share");
  }

  @Test
  void deniedInsideShareIsRejected() throws Exception {
    Path share = dir("share");
    Path inside = dir("share/secret");
    rejected(linux, SandboxPolicy.builder().readOnly(share).deny(inside).build(), inside.toString(),
        "lies inside mapped share", share.toString());
  }

  @Test
  void missingDeniedPathInsideShareIsRejectedViaItsExistingAncestor() throws Exception {
    Path share = dir("share");
    Path link = Files.createSymbolicLink(root.resolve("alias"), share);
    rejected(linux, SandboxPolicy.builder().readOnly(share).deny(link.resolve("not/yet")).build(),
        "lies inside mapped share");
  }

  @Test
  void deniedContainingShareIsRejected() throws Exception {
    Path share = dir("parent/share");
    Path parent = root.resolve("parent");
    rejected(linux, SandboxPolicy.builder().readWrite(share).deny(parent).build(), "contains mapped share");
  }

  @Test
  void deniedElsewhereIsAcceptedInCanonicalForm() throws Exception {
    Path share = dir("share");
    Path other = dir("other");
    Path link = Files.createSymbolicLink(root.resolve("otherlink"), other);
    Path missing = root.resolve("shareX/nope");
    PolicyPlan plan = linux.plan(SandboxPolicy.builder().readWrite(share).deny(link, missing, other).build());
    assertEquals(List.of(other, missing), plan.denied());
  }

  @Test
  void deniedSiblingWithCommonPrefixIsAccepted() throws Exception {
    Path share = dir("a/foo");
    Path denied = dir("a/foobar");
    assertEquals(List.of(denied), linux.plan(SandboxPolicy.builder().readWrite(share).deny(denied).build()).denied());
  }

  @Test
  void windowsRulesCompareCaseInsensitively() throws Exception {
    Path upper = dir("case/Foo");
    Path lower = dir("case/foo");
    rejected(windows, SandboxPolicy.builder().readWrite(upper).readOnly(lower).build(), "both read-write and read-only");
    assertEquals(1, windows.plan(SandboxPolicy.builder().readWrite(upper, lower).build()).mappedFolders().size());
  }

  @Test
  void linuxRulesCompareCaseSensitively() throws Exception {
    Path upper = dir("case/Foo");
    Path lower = dir("case/foo");
    assertEquals(2, linux.plan(SandboxPolicy.builder().readWrite(upper).readOnly(lower).build()).mappedFolders().size());
  }

  @Test
  void windowsRulesDetectNestingAndDeniedAcrossCase() throws Exception {
    Path upper = dir("case/Foo");
    Path innerLower = dir("case/foo/bar");
    rejected(windows, SandboxPolicy.builder().readWrite(upper, innerLower).build(), "overlaps");
    assertEquals(2, linux.plan(SandboxPolicy.builder().readWrite(upper, innerLower).build()).mappedFolders().size());
    rejected(windows, SandboxPolicy.builder().readWrite(upper).deny(root.resolve("case/FOO/x")).build(),
        "lies inside mapped share");
  }

  @Test
  void allowNetworkRejectedWhenTheDriverCannotEnforceIt() {
    rejected(windows, SandboxPolicy.builder().network(NetworkAccess.ALLOW).build(), "network ALLOW",
        "Windows Sandbox");
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
    PolicyPlanner all = new PolicyPlanner("x", PathRules.LINUX, new NetworkSupport(true, true, true));
    all.plan(SandboxPolicy.builder().network(NetworkAccess.ALLOW).allowedHosts(List.of("a")).proxy("http://p:1").build());
  }
}
