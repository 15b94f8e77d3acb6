package dev.sandboxkit.lifecycle.internal.startup;

import dev.sandboxkit.lifecycle.PrepareResult;
import dev.sandboxkit.lifecycle.internal.vm.ArchiveEvents;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The lifecycle's start-up speed-ups, in one place: everything in this package exists only to make
 * a sandbox start sooner; none of it changes what a run does, and each part can be turned off alone
 * ({@link Speedup}).
 *
 * <ul>
 *   <li><b>The guest's class-data archive</b> ({@link GuestArchive}, trained by {@link CdsTrainer}
 *       in a sandbox of its own, kept by {@link CdsStore}): the guest JVM maps the classes it needs
 *       instead of loading them; on Java 25+ an AOT cache instead ({@link ArchiveKind}, which says
 *       how to keep the class-data archive there). The first run for a new guest jar or runtime trains it (seconds,
 *       reported by the listener's archive events and the CLI's progress line), or ahead of time
 *       with {@code Sandbox.Builder.prepare()} / {@code sandboxkit prepare}. Configured by the
 *       builder's {@code cacheDir(..)} and {@code classDataArchives(..)}; off with
 *       {@code SANDBOXKIT_NO_CDS=1}, {@code -Dsandboxkit.cds=false} or the switch {@code guest-cds}.</li>
 *   <li><b>A warm-up</b>, {@link Prestart}: a one-shot run's head start on a second thread while the
 *       CLI parses (it loads, links and initialises the launch path's classes and runs the driver's
 *       own warm-up). Switch {@code prestart}. Two other warm-ups (one while the guest booted, one
 *       making the nonce on a thread of its own) were removed: on a quiet machine each made
 *       {@code run -- true} slower, not faster ({@code BENCH_AB=1}, README "Class-data
 *       archives").</li>
 * </ul>
 *
 * <p>Removed for the same reason: JNA's native library extracted once on the host and bound into
 * each sandbox (-35, +1 and -2 ms in three quiet A/B runs); the guest's JNA unpacks its own into the
 * sandbox's /tmp, as it did before.
 *
 * <p>Dependencies point one way: drivers and sessions use this package; it knows no driver (a driver
 * describes its guest and its sandboxes through {@link GuestSandbox}) and no session.
 *
 * <p>A driver holds one instance ({@link #fromEnvironment()}) and asks it, per run, with the run's
 * builder options on top ({@link #configured}).
 */
public final class StartUp {
  private final GuestArchive archive;

  /** Tests: another archive (folder, trainer). */
  public StartUp(GuestArchive archive) {
    this.archive = archive;
  }

  /** This JVM's settings: system properties, environment and {@link Speedup} switches. */
  public static StartUp fromEnvironment() {
    return new StartUp(Speedup.GUEST_CDS.on() ? GuestArchive.fromEnvironment()
        : new GuestArchive(CdsConfig.off(Speedup.GUEST_CDS.switchName() + " is in " + Speedup.ENV),
            new CdsTrainer()::train));
  }

  /**
   * These settings with a run's builder options on top ({@code cacheDir(..)},
   * {@code classDataArchives(..)}), which win over system properties and the environment.
   */
  public StartUp configured(Optional<Path> cacheDir, Optional<Boolean> classDataArchives) {
    CdsConfig cds = archive.config().override(cacheDir, classDataArchives);
    return new StartUp(archive.withConfig(cds));
  }

  /** The archive settings in force (tests). */
  CdsConfig archiveConfig() {
    return archive.config();
  }

  /** How the guest of a run uses its class-data archive; trains it first when missing. Never throws. */
  public GuestCds archiveFor(GuestSandbox guest, ArchiveEvents events) {
    return archive.forRun(guest, events);
  }

  /** The explicit step: builds the archive when missing. Never throws. */
  public PrepareResult prepare(GuestSandbox guest, ArchiveEvents events) {
    return archive.prepare(guest, events);
  }

  /** For a driver's warm-up: runs the archive's lookup code on {@code guest} without deciding anything. */
  public GuestCds warmUp(GuestSandbox guest) {
    return archive.warmUp(guest);
  }
}
