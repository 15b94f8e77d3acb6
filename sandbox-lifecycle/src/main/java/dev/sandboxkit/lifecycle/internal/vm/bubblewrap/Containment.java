package dev.sandboxkit.lifecycle.internal.vm.bubblewrap;

import dev.sandboxkit.lifecycle.ResourceLimits;

/**
 * The containment options of one sandbox's bwrap command line beyond its mounts.
 *
 * @param seccompFd the descriptor bwrap reads the seccomp filter from ({@code --seccomp FD}; the
 *     launcher opens the filter file there, {@link LaunchWrapper}); -1: none (training sandboxes)
 * @param disableUserns {@code --disable-userns} (needs bwrap's own user namespace: unprivileged path)
 * @param tmpBytes the size of {@code /tmp} ({@code --size})
 */
public record Containment(int seccompFd, boolean disableUserns, long tmpBytes) {
  /** No filter; /tmp of the default size. */
  public static final Containment NONE = new Containment(-1, false, ResourceLimits.DEFAULT_TMP_BYTES);

  public Containment {
    if (tmpBytes <= 0) {
      throw new IllegalArgumentException("tmpBytes must be positive");
    }
  }
}
