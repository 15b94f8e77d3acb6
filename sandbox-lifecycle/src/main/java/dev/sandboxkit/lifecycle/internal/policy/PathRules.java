package dev.sandboxkit.lifecycle.internal.policy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How host paths compare: component by component, case-sensitively on Linux, case-insensitively on
 * Windows. A parameter rather than a platform check, so both rule sets are testable on Linux.
 */
public enum PathRules {
  /** Case-sensitive comparison (Linux, bubblewrap). */
  LINUX(false),
  /** Case-insensitive comparison (Windows Sandbox), folded with {@link Locale#ROOT}. */
  WINDOWS(true);

  private final boolean caseInsensitive;

  PathRules(boolean caseInsensitive) {
    this.caseInsensitive = caseInsensitive;
  }

  /** The rules of the running OS. */
  public static PathRules host() {
    return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows") ? WINDOWS : LINUX;
  }

  /** True for {@link #WINDOWS}. */
  public boolean caseInsensitive() {
    return caseInsensitive;
  }

  /** The comparison key of an absolute, normalised path: its root then each name, case-folded if needed. */
  public List<String> components(Path path) {
    List<String> out = new ArrayList<>();
    Path root = path.getRoot();
    out.add(fold(root == null ? "" : root.toString()));
    for (Path name : path) {
      out.add(fold(name.toString()));
    }
    return out;
  }

  /** True when both paths name the same location under these rules. */
  public boolean same(Path a, Path b) {
    return components(a).equals(components(b));
  }

  /** True when {@code inner} lies strictly inside {@code outer} (component-wise: /a/foobar is not inside /a/foo). */
  public boolean strictlyInside(Path inner, Path outer) {
    List<String> in = components(inner);
    List<String> out = components(outer);
    return in.size() > out.size() && in.subList(0, out.size()).equals(out);
  }

  private String fold(String s) {
    return caseInsensitive ? s.toLowerCase(Locale.ROOT) : s;
  }
}
