package dev.sandboxkit.lifecycle.internal.policy;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What a driver shows of the host by itself (the bubblewrap driver's /usr, /etc entries, …), so
 * that a denied path among them is masked rather than ignored, and what its guest agent needs
 * (its Java runtime), so that denying it is refused rather than breaking the sandbox.
 *
 * @param exposed host paths visible inside without a mapping
 * @param needed host paths the guest agent runs on, which the driver cannot hide
 */
public record SystemView(List<Exposed> exposed, List<Needed> needed) {
  /** A driver that shows nothing of the host. */
  public static final SystemView NONE = new SystemView(List.of(), List.of());

  public SystemView {
    exposed = List.copyOf(exposed);
    needed = List.copyOf(needed);
  }

  /**
   * A host path visible inside.
   *
   * @param inside where the sandbox sees it
   * @param host its canonical host path (differs from {@code inside} when the driver bound a symlink)
   * @param directory whether it is a directory
   */
  public record Exposed(Path inside, Path host, boolean directory) {
    public Exposed {
      Objects.requireNonNull(inside, "inside");
      Objects.requireNonNull(host, "host");
    }
  }

  /** A host path the guest needs, and what it is. */
  public record Needed(Path host, String what) {
    public Needed {
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(what, "what");
    }
  }
}
