package dev.sandboxkit.lifecycle.internal.teardown;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects orphan scratch dirs: immediate subdirectories of the marker root that have <b>no</b>
 * marker and whose modification time is at least {@link #DEFAULT_MIN_AGE} old (§4.5). The age guard
 * protects a peer that created its dir but has not written its marker yet. A metadata error means
 * "too young" (kept). Dirs with a marker are never collected here; only reconcile clears them.
 */
public final class ScratchGc {

  /** Minimum age of a markerless dir before it is collected. */
  public static final Duration DEFAULT_MIN_AGE = Duration.ofSeconds(120);

  private ScratchGc() {
  }

  /** {@link #collect(MarkerStore, Duration, Clock)} with 120 s and the system clock. */
  public static List<Path> collect(MarkerStore store) {
    return collect(store, DEFAULT_MIN_AGE, Clock.systemUTC());
  }

  /**
   * Removes markerless run dirs older than {@code minAge}.
   *
   * @return the dirs that were removed
   */
  public static List<Path> collect(MarkerStore store, Duration minAge, Clock clock) {
    Instant cutoff = clock.instant().minus(minAge);
    List<Path> removed = new ArrayList<>();
    for (Path dir : store.listRunDirs()) {
      if (Files.exists(MarkerStore.markerFile(dir), LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      Instant mtime;
      try {
        mtime = Files.getLastModifiedTime(dir, LinkOption.NOFOLLOW_LINKS).toInstant();
      } catch (IOException e) {
        continue;
      }
      if (mtime.isAfter(cutoff)) {
        continue;
      }
      MarkerStore.deleteTree(dir);
      if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        removed.add(dir);
      }
    }
    return removed;
  }
}
