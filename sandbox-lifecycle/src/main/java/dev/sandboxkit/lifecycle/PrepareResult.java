package dev.sandboxkit.lifecycle;

import dev.sandboxkit.*;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link dev.sandboxkit.Sandbox.Builder#prepare()} (or {@link dev.sandboxkit.OneShotRunner#prepare()}) did: the one-time work
 * a first sandbox would otherwise do on a user's start — today the guest's class-data archive of the
 * bubblewrap driver, built once per guest jar, Java runtime and guest JVM flags (about 3 s).
 *
 * @param status what happened
 * @param archive where the archive is (for {@link Status#BUILT} and {@link Status#ALREADY_PRESENT})
 * @param elapsed how long the preparation took
 * @param detail one line: why nothing was done, or what failed and what to do; empty otherwise
 */
public record PrepareResult(Status status, Optional<Path> archive, Duration elapsed, String detail) {

  /** What a preparation did. */
  public enum Status {
    /** The archive was missing and has been built now. */
    BUILT,
    /** The archive was there already; nothing was done. */
    ALREADY_PRESENT,
    /** Class-data archives are off ({@code classDataArchives(false)}, {@code SANDBOXKIT_NO_CDS}, {@code -Dsandboxkit.cds=false}). */
    DISABLED,
    /** The driver keeps no archive (windows-sandbox): there is nothing to prepare. */
    NOT_APPLICABLE,
    /**
     * The archive could not be built, or one is present that is not used; {@link #detail()} says
     * why. Sandboxes still start, only slower (the failure note is kept: a first start does not
     * retry it; the next {@code prepare} does).
     */
    FAILED
  }

  public PrepareResult {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(archive, "archive");
    Objects.requireNonNull(elapsed, "elapsed");
    detail = detail == null ? "" : detail;
    if ((status == Status.BUILT || status == Status.ALREADY_PRESENT) != archive.isPresent()) {
      throw new IllegalArgumentException("an archive goes with BUILT and ALREADY_PRESENT only: " + status);
    }
  }

  /** True unless {@link Status#FAILED}: sandboxes start as fast as this host allows. */
  public boolean ok() {
    return status != Status.FAILED;
  }
}
