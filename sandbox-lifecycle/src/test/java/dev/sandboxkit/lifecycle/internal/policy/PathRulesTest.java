package dev.sandboxkit.lifecycle.internal.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PathRulesTest {

  @Test
  void componentsStartWithTheRoot() {
    assertEquals(List.of("/", "a", "B"), PathRules.LINUX.components(Path.of("/a/B")));
    assertEquals(List.of("/", "a", "b"), PathRules.WINDOWS.components(Path.of("/a/B")));
  }

  @Test
  void strictlyInsideIsComponentWise() {
    assertTrue(PathRules.LINUX.strictlyInside(Path.of("/a/foo/x"), Path.of("/a/foo")));
    assertFalse(PathRules.LINUX.strictlyInside(Path.of("/a/foobar"), Path.of("/a/foo")));
    assertFalse(PathRules.LINUX.strictlyInside(Path.of("/a/foo"), Path.of("/a/foo")));
    assertFalse(PathRules.LINUX.strictlyInside(Path.of("/a"), Path.of("/a/foo")));
  }

  @Test
  void caseFoldingOnlyForWindows() {
    assertTrue(PathRules.WINDOWS.same(Path.of("/A/b"), Path.of("/a/B")));
    assertFalse(PathRules.LINUX.same(Path.of("/A/b"), Path.of("/a/B")));
    assertTrue(PathRules.WINDOWS.caseInsensitive());
    assertFalse(PathRules.LINUX.caseInsensitive());
  }

  @Test
  void hostRulesFollowTheOs() {
    boolean win = System.getProperty("os.name").startsWith("Windows");
    assertEquals(win ? PathRules.WINDOWS : PathRules.LINUX, PathRules.host());
  }
}
