package dev.sandboxkit.lifecycle.internal.controlplane;

import java.util.List;

/**
 * One probe of the host processes that may belong to a sandbox, taken from a single enumeration.
 *
 * <p>{@code identified} are processes whose creation time could be read; {@code unidentifiable}
 * are pids that are present but could not be opened (exited meanwhile, or another user's). Carrying
 * the second set explicitly lets decisions fail closed instead of treating such a process as absent
 * (the reference's weakness W3).
 *
 * @param identified processes with a known identity, in enumeration order
 * @param unidentifiable pids present but not openable
 */
public record HostSnapshot(List<VmProcId> identified, List<Long> unidentifiable) {

  /** A snapshot that saw nothing. */
  public static final HostSnapshot EMPTY = new HostSnapshot(List.of(), List.of());

  public HostSnapshot {
    identified = List.copyOf(identified);
    unidentifiable = List.copyOf(unidentifiable);
  }

  /** A snapshot in which every process could be identified. */
  public static HostSnapshot of(List<VmProcId> identified) {
    return new HostSnapshot(identified, List.of());
  }

  /** True when any process, identified or not, is present. */
  public boolean anyPresent() {
    return !identified.isEmpty() || !unidentifiable.isEmpty();
  }
}
