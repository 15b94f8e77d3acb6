package dev.sandboxkit.lifecycle.internal.startup;

import dev.sandboxkit.lifecycle.PrepareResult;
import dev.sandboxkit.lifecycle.internal.controlplane.EffectiveUid;
import dev.sandboxkit.lifecycle.internal.vm.ArchiveEvents;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Decides, per run, how the guest JVM uses its class-data archive (about 200 ms less from bwrap
 * spawn to the agent's bind): use the published archive for this guest jar, runtime and flags
 * ({@link CdsKey}); when there is none yet, train one first (once per key, {@link CdsTrainer});
 * otherwise run without. Never fails a run: every problem means "no archive" (a failed training
 * logs one warning and leaves a note so it is not retried for that key).
 */
public final class GuestArchive {
  /** One training at a time in this JVM; a run that finds one going runs without an archive. */
  private static final ReentrantLock TRAINING = new ReentrantLock();
  /** Keys whose training failed in this JVM: not retried even when the failure note cannot be written. */
  private static final Set<String> FAILED = ConcurrentHashMap.newKeySet();
  /** The logger, created on first use: the launch path never starts the logging backend. */
  private static final class Log {
    static final System.Logger LOG = System.getLogger(GuestArchive.class.getName());
  }

  private final CdsConfig config;
  private final Trainer trainer;

  /** Builds and publishes the archive for a key ({@link CdsTrainer#train}). */
  @FunctionalInterface
  public interface Trainer {
    Path train(GuestSandbox guest, CdsStore store, String key, ArchiveKind kind) throws CdsTrainer.TrainingFailed;
  }

  public GuestArchive(CdsConfig config, Trainer trainer) {
    this.config = config;
    this.trainer = trainer;
  }

  public CdsConfig config() {
    return config;
  }

  /** The same trainer with another folder or switch (a builder's {@code cacheDir} / {@code classDataArchives}). */
  public GuestArchive withConfig(CdsConfig other) {
    return other.equals(config) ? this : new GuestArchive(other, trainer);
  }

  public static GuestArchive fromEnvironment() {
    return new GuestArchive(CdsConfig.fromEnvironment(), new CdsTrainer()::train);
  }

  /**
   * The archive mode for a user's sandbox of {@code guest}; may train first. Never throws.
   */
  public GuestCds forRun(GuestSandbox guest) {
    return forRun(guest, ArchiveEvents.NONE);
  }

  /** As {@link #forRun(GuestSandbox)}, telling {@code events} about a training. */
  public GuestCds forRun(GuestSandbox guest, ArchiveEvents events) {
    try {
      return decide(guest, events);
    } catch (RuntimeException e) {
      Log.LOG.log(System.Logger.Level.DEBUG, "guest archive skipped after an internal error", e);
      return GuestCds.OFF;
    }
  }

  private GuestCds decide(GuestSandbox guest, ArchiveEvents events) {
    if (!config.enabled()) {
      Log.LOG.log(System.Logger.Level.DEBUG, "guest archive off: {0}", config.why());
      return GuestCds.OFF;
    }
    OptionalLong euid = EffectiveUid.read();
    if (euid.isEmpty()) {
      Log.LOG.log(System.Logger.Level.DEBUG, "guest archive off: the effective uid is unknown");
      return GuestCds.OFF;
    }
    ArchiveKind kind = ArchiveKind.forRuntime(guest.javaHome());
    String key;
    try {
      key = CdsKey.of(CdsKey.probe(guest, kind));
    } catch (IOException e) {
      Log.LOG.log(System.Logger.Level.DEBUG, "guest archive off: cannot read the guest jar or runtime: {0}", e);
      return GuestCds.OFF;
    }
    CdsStore store = new CdsStore(config.dir().orElseThrow());
    Optional<GuestCds> ready = lookUp(store, key, euid.getAsLong(), kind);
    if (ready.isPresent()) {
      return ready.get();
    }
    if (!TRAINING.tryLock()) {
      Log.LOG.log(System.Logger.Level.DEBUG, "guest archive: another run of this JVM is training it; running without");
      return GuestCds.OFF;
    }
    try {
      ready = lookUp(store, key, euid.getAsLong(), kind); // it may have finished just now
      if (ready.isPresent()) {
        return ready.get();
      }
      Trained t = train(guest, store, key, kind, euid.getAsLong(), events, true);
      return t.archive().<GuestCds>map(a -> new GuestCds.Use(a, kind)).orElse(GuestCds.OFF);
    } finally {
      TRAINING.unlock();
    }
  }

  /**
   * The explicit step ({@code Sandbox.Builder.prepare()}, {@code sandboxkit prepare}): makes sure the
   * archive for {@code guest}'s jar and runtime exists, training it when it is missing. Unlike
   * {@link #forRun} it waits for a training another thread of this JVM is doing, and it retries a
   * training that failed before (it removes the failure note first). Never throws.
   */
  public PrepareResult prepare(GuestSandbox guest, ArchiveEvents events) {
    long start = System.nanoTime();
    try {
      return prepare(guest, events, start);
    } catch (RuntimeException e) {
      Log.LOG.log(System.Logger.Level.DEBUG, "guest archive prepare failed with an internal error", e);
      return failed(start, "internal error: " + e);
    }
  }

  private PrepareResult prepare(GuestSandbox guest, ArchiveEvents events, long start) {
    if (!config.enabled()) {
      return new PrepareResult(PrepareResult.Status.DISABLED, Optional.empty(), since(start),
          "class-data archives are off: " + config.why());
    }
    OptionalLong euid = EffectiveUid.read();
    if (euid.isEmpty()) {
      return failed(start, "the effective uid of this process is unknown (it decides who may own the archive)");
    }
    ArchiveKind kind = ArchiveKind.forRuntime(guest.javaHome());
    String key;
    try {
      key = CdsKey.of(CdsKey.probe(guest, kind));
    } catch (IOException e) {
      return failed(start, "cannot read the guest jar " + guest.guestJar() + " or the Java runtime " + guest.javaHome()
          + ": " + e.getMessage());
    }
    CdsStore store = new CdsStore(config.dir().orElseThrow());
    try {
      TRAINING.lockInterruptibly(); // an explicit step waits for a training of this JVM instead of skipping
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return failed(start, "interrupted while waiting for another training of this process");
    }
    try {
      List<String> rejected = new ArrayList<>();
      Optional<Path> present = store.find(key, euid.getAsLong(), rejected);
      if (present.isPresent()) {
        return new PrepareResult(PrepareResult.Status.ALREADY_PRESENT, present, since(start), "");
      }
      if (!rejected.isEmpty()) {
        return failed(start, "an archive is present but not used (" + String.join("; ", rejected)
            + "): delete it to have it built again");
      }
      Path note = store.failureNote(key);
      try {
        Files.deleteIfExists(note); // asked for explicitly: try again
      } catch (IOException e) {
        return failed(start, "an earlier training failed and its note " + note + " cannot be removed: " + e.getMessage());
      }
      FAILED.remove(store.dir() + "/" + key);
      Trained t = train(guest, store, key, kind, euid.getAsLong(), events, false); // the result says it
      return t.archive().isPresent()
          ? new PrepareResult(PrepareResult.Status.BUILT, t.archive(), since(start), "")
          : failed(start, t.failure());
    } finally {
      TRAINING.unlock();
    }
  }

  private static PrepareResult failed(long start, String why) {
    return new PrepareResult(PrepareResult.Status.FAILED, Optional.empty(), since(start), why);
  }

  private static Duration since(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /** A training's outcome: the published archive, or why there is none. */
  private record Trained(Optional<Path> archive, String failure) {}

  /** The one line the first run prints (pure; tested). */
  static String progressNote(long ms, CdsStore store) {
    return String.format(java.util.Locale.ROOT, "built the guest's class-data archive in %d.%d s, once per guest jar "
        + "and Java runtime: later sandboxes start about 200 ms faster (%s; SANDBOXKIT_NO_CDS=1 turns it off)",
        ms / 1000, (ms % 1000) / 100, store.dir());
  }

  /**
   * For a driver's warm-up: computes the archive key of {@code guest} and reads the cache
   * folder's attributes, as {@link #forRun} does, but decides, trains, touches and logs nothing.
   * The result names where the archive would be ({@link GuestCds#OFF} when off); it is not checked.
   */
  public GuestCds warmUp(GuestSandbox guest) {
    if (!config.enabled() || EffectiveUid.read().isEmpty()) {
      return GuestCds.OFF;
    }
    try {
      ArchiveKind kind = ArchiveKind.forRuntime(guest.javaHome());
      String key = CdsKey.of(CdsKey.probe(guest, kind));
      Path dir = config.dir().orElseThrow();
      CdsStore.Facts.of(dir);
      return new GuestCds.Use(dir.resolve(CdsStore.archiveName(key, 1)), kind);
    } catch (IOException | RuntimeException e) {
      return GuestCds.OFF;
    }
  }

  /** Use the archive, or OFF when training failed before, or empty: train now. */
  private static Optional<GuestCds> lookUp(CdsStore store, String key, long euid, ArchiveKind kind) {
    List<String> rejected = new ArrayList<>();
    Optional<Path> archive = store.find(key, euid, rejected);
    rejected.forEach(r -> Log.LOG.log(System.Logger.Level.DEBUG, "guest archive: {0}", r));
    if (archive.isPresent()) {
      return Optional.of(new GuestCds.Use(archive.get(), kind));
    }
    if (!rejected.isEmpty()) {
      // Present but not trustworthy: never trained over (it would be again and again); delete it to rebuild.
      return Optional.of(GuestCds.OFF);
    }
    if (FAILED.contains(store.dir() + "/" + key) || Files.exists(store.failureNote(key), LinkOption.NOFOLLOW_LINKS)) {
      Log.LOG.log(System.Logger.Level.DEBUG, "guest archive: training failed before, see {0}", store.failureNote(key));
      return Optional.of(GuestCds.OFF);
    }
    return Optional.empty();
  }

  private Trained train(GuestSandbox guest, CdsStore store, String key, ArchiveKind kind,
      long euid, ArchiveEvents events, boolean announce) {
    try {
      store.secure(euid);
    } catch (IOException | RuntimeException e) {
      Log.LOG.log(System.Logger.Level.DEBUG, "guest archive off: cannot create or secure {0}: {1}", store.dir(), e);
      return new Trained(Optional.empty(), "cannot create or secure the archive folder " + store.dir() + ": "
          + e.getMessage());
    }
    long start = System.nanoTime();
    events.start();
    try {
      Path archive = trainer.train(guest, store, key, kind);
      long ms = (System.nanoTime() - start) / 1_000_000;
      Log.LOG.log(System.Logger.Level.DEBUG, "guest archive {0} built in {1} ms", archive, ms);
      events.end();
      if (announce) {
        dev.sandboxkit.lifecycle.internal.ProgressLog.get().log(System.Logger.Level.INFO, progressNote(ms, store));
      }
      return new Trained(Optional.of(archive), "");
    } catch (CdsTrainer.TrainingFailed e) {
      if (Thread.currentThread().isInterrupted()) {
        // The run was cancelled: not the archive's fault, so no note; the next run trains again.
        Log.LOG.log(System.Logger.Level.DEBUG, "guest archive training interrupted: {0}", e.getMessage());
        events.failed("interrupted: " + e.getMessage());
        return new Trained(Optional.empty(), "interrupted: " + e.getMessage());
      }
      FAILED.add(store.dir() + "/" + key);
      Path note = store.failureNote(key);
      String noted;
      String details;
      try {
        store.writeFailureNote(key, CdsTrainer.note(e));
        noted = "details in " + note + "; it is not retried for this guest jar and Java runtime (delete that file"
            + " to retry)";
        details = " (details in " + note + ")";
      } catch (IOException | RuntimeException w) {
        noted = "the note " + note + " could not be written (" + w.getMessage() + "), so the next run retries";
        details = "";
      }
      String why = e.getMessage().endsWith(".") ? e.getMessage().substring(0, e.getMessage().length() - 1)
          : e.getMessage();
      // A run warns (it goes on without the archive); an explicit prepare returns the reason instead.
      Log.LOG.log(announce ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG,
          "the guest class-data archive could not be built: " + why
          + ". Sandboxes start without it (about 200 ms slower each); " + noted + ", or set "
          + CdsConfig.ENV_OFF + "=1 to stop building it.");
      events.failed(why);
      return new Trained(Optional.empty(), why + details);
    }
  }
}
