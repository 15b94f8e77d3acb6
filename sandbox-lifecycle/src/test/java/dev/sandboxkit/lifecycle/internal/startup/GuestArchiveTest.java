package dev.sandboxkit.lifecycle.internal.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.lifecycle.PrepareResult;
import dev.sandboxkit.lifecycle.internal.vm.ArchiveEvents;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** When a run uses, trains or skips the archive (a stub trainer; the real one is in GuestArchiveBwrapTest). */
@Timeout(30)
class GuestArchiveTest {
  @TempDir Path temp;
  Path dir;
  GuestSandbox spec;
  String key;
  final AtomicInteger trainings = new AtomicInteger();

  @BeforeEach
  void setUp() throws IOException {
    dir = temp.resolve("cds");
    Path jar = Files.write(temp.resolve("sandboxkit-guest.jar"), new byte[10]);
    Path home = Files.createDirectories(temp.resolve("jdk/lib")).getParent();
    Files.write(home.resolve("lib/modules"), new byte[20]);
    spec = new TestGuest(jar, home);
    key = CdsKey.of(CdsKey.probe(spec));
  }

  /** Publishes a 7-byte "archive" like the real trainer does. */
  Path fakeTrain(GuestSandbox s, CdsStore store, String k, ArchiveKind kind) {
    trainings.incrementAndGet();
    try {
      Path work = store.newTrainingDir();
      Path staged = Files.write(work.resolve("guest.jsa"), new byte[7]);
      Files.setPosixFilePermissions(staged, PosixFilePermissions.fromString("r--r--r--"));
      Path p = store.publish(staged, k);
      CdsStore.deleteTree(work);
      return p;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  GuestCds forRun(GuestArchive a) {
    return a.forRun(spec);
  }

  @Test
  void firstRunTrainsLaterRunsUseIt() {
    GuestArchive a = new GuestArchive(CdsConfig.at(dir), this::fakeTrain);
    Path archive = dir.resolve(CdsStore.archiveName(key, 7));
    assertEquals(new GuestCds.Use(archive), forRun(a));
    assertEquals(new GuestCds.Use(archive), forRun(a));
    assertEquals(1, trainings.get());
  }

  /** A Java 25+ runtime (by its release file) gets an AOT cache, under its own key; the kinds never mix. */
  @Test
  void aJava25RuntimeTrainsAndUsesAnAotCacheUnderItsOwnKey() throws IOException {
    org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("SANDBOXKIT_NO_AOT") == null
        || System.getenv("SANDBOXKIT_NO_AOT").isEmpty(), "SANDBOXKIT_NO_AOT is set in this environment");
    java.util.List<ArchiveKind> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
    GuestArchive a = new GuestArchive(CdsConfig.at(dir), (s, store, k, kind) -> {
      asked.add(kind);
      return fakeTrain(s, store, k, kind);
    });
    Path cdsArchive = dir.resolve(CdsStore.archiveName(key, 7));
    assertEquals(new GuestCds.Use(cdsArchive), forRun(a), "no release file: a class-data archive");

    Files.writeString(spec.javaHome().resolve("release"), "JAVA_VERSION=\"25.0.3\"\n");
    String aotKey = CdsKey.of(CdsKey.probe(spec, ArchiveKind.AOT));
    Path aotCache = dir.resolve(CdsStore.archiveName(aotKey, 7));
    assertEquals(new GuestCds.Use(aotCache, ArchiveKind.AOT), forRun(a));
    assertEquals(new GuestCds.Use(aotCache, ArchiveKind.AOT), forRun(a), "trained once");
    assertEquals(java.util.List.of(ArchiveKind.CDS, ArchiveKind.AOT), asked);
    assertEquals(new GuestCds.Use(dir.resolve(CdsStore.archiveName(aotKey, 1)), ArchiveKind.AOT), a.warmUp(spec));
  }

  @Test
  void theFirstRunSaysWhatItBuiltAndHowLongItTook() {
    java.util.List<java.util.logging.LogRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.logging.Logger progress = java.util.logging.Logger.getLogger(
        dev.sandboxkit.lifecycle.internal.ProgressLog.NAME);
    java.util.logging.Handler h = new java.util.logging.Handler() {
      @Override
      public void publish(java.util.logging.LogRecord r) {
        records.add(r);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    progress.addHandler(h);
    try {
      GuestArchive a = new GuestArchive(CdsConfig.at(dir), this::fakeTrain);
      a.forRun(spec);
      assertEquals(1, records.size(), "one line when an archive is built");
      assertEquals(java.util.logging.Level.INFO, records.get(0).getLevel());
      assertTrue(records.get(0).getMessage().startsWith("built the guest's class-data archive in "),
          records.get(0).getMessage());
      a.forRun(spec);
      assertEquals(1, records.size(), "nothing when the archive is there");
    } finally {
      progress.removeHandler(h);
    }
  }

  @Test
  void theProgressNoteNamesTheTimeAndTheFolder() {
    assertEquals("built the guest's class-data archive in 1.4 s, once per guest jar and Java runtime: later "
        + "sandboxes start about 200 ms faster (" + dir + "; SANDBOXKIT_NO_CDS=1 turns it off)",
        GuestArchive.progressNote(1_460, new CdsStore(dir)));
  }

  @Test
  void offMeansNothingIsTrainedOrCreated() {
    GuestArchive a = new GuestArchive(CdsConfig.off("SANDBOXKIT_NO_CDS is set"), this::fakeTrain);
    assertEquals(GuestCds.OFF, forRun(a));
    assertEquals(0, trainings.get());
    assertFalse(Files.exists(dir));
  }

  @Test
  void aFailedTrainingLeavesANoteAndIsNotRetried() throws IOException {
    GuestArchive a = new GuestArchive(CdsConfig.at(dir), (s, store, k, kind) -> {
      trainings.incrementAndGet();
      throw new CdsTrainer.TrainingFailed("the training sandbox exited with status 3", "agent log line");
    });
    assertEquals(GuestCds.OFF, forRun(a));
    assertEquals(GuestCds.OFF, forRun(a));
    assertEquals(1, trainings.get());
    String note = Files.readString(dir.resolve("guest-" + key + ".failed"));
    assertTrue(note.startsWith("the training sandbox exited with status 3\n"), note);
    assertTrue(note.contains("agent log line"), note);
  }

  @Test
  void anInterruptedTrainingLeavesNoNoteAndTheNextRunTrainsAgain() {
    GuestArchive a = new GuestArchive(CdsConfig.at(dir), (s, store, k, kind) -> {
      if (trainings.incrementAndGet() == 1) {
        Thread.currentThread().interrupt();
        throw new CdsTrainer.TrainingFailed("interrupted while training", "");
      }
      return fakeTrain(s, store, k, kind);
    });
    try {
      assertEquals(GuestCds.OFF, forRun(a));
      assertTrue(Thread.currentThread().isInterrupted(), "the caller still sees its interrupt");
    } finally {
      Thread.interrupted();
    }
    assertFalse(Files.exists(dir.resolve("guest-" + key + ".failed")));
    assertTrue(forRun(a) instanceof GuestCds.Use);
    assertEquals(3, trainings.get());
  }

  @Test
  void aNewKeyIsTrainedDespiteAnOldKeysNote() throws IOException {
    GuestArchive failing = new GuestArchive(CdsConfig.at(dir), (s, store, k, kind) -> {
      throw new CdsTrainer.TrainingFailed("boom", "");
    });
    assertEquals(GuestCds.OFF, forRun(failing));
    Files.write(spec.guestJar(), new byte[11]); // a rebuilt guest jar
    Files.setLastModifiedTime(spec.guestJar(), FileTime.fromMillis(System.currentTimeMillis() + 5_000));
    GuestArchive a = new GuestArchive(CdsConfig.at(dir), this::fakeTrain);
    assertTrue(forRun(a) instanceof GuestCds.Use);
    assertEquals(1, trainings.get());
  }

  @Test
  void aTamperedArchiveIsIgnoredAndNotTrainedOver() throws IOException {
    GuestArchive a = new GuestArchive(CdsConfig.at(dir), this::fakeTrain);
    GuestCds.Use used = (GuestCds.Use) forRun(a);
    Files.setPosixFilePermissions(used.archive(), PosixFilePermissions.fromString("rw-rw-rw-"));
    assertEquals(GuestCds.OFF, forRun(a));
    Files.setPosixFilePermissions(used.archive(), PosixFilePermissions.fromString("rw-------"));
    Files.write(used.archive(), new byte[3]);
    assertEquals(GuestCds.OFF, forRun(a));
    assertEquals(1, trainings.get());
  }

  @Test
  void aFolderThatCannotBeCreatedMeansNoArchive() throws IOException {
    Path file = Files.write(temp.resolve("file"), new byte[1]);
    GuestArchive a = new GuestArchive(CdsConfig.at(file.resolve("cds")), this::fakeTrain);
    assertEquals(GuestCds.OFF, forRun(a));
    assertEquals(0, trainings.get());
  }

  @Test
  void aMissingGuestJarMeansNoArchive() throws IOException {
    Files.delete(spec.guestJar());
    assertEquals(GuestCds.OFF, forRun(new GuestArchive(CdsConfig.at(dir), this::fakeTrain)));
    assertEquals(0, trainings.get());
  }

  @Test
  void aTrainerBugMeansNoArchive() {
    GuestArchive a = new GuestArchive(CdsConfig.at(dir), (s, store, k, kind) -> {
      throw new IllegalStateException("bug");
    });
    assertEquals(GuestCds.OFF, forRun(a));
  }

  /** One training at a time per JVM: a run that finds one going runs without an archive instead of waiting. */
  @Test
  void aConcurrentRunDoesNotWaitForTheTraining() throws Exception {
    CountDownLatch training = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    GuestArchive a = new GuestArchive(CdsConfig.at(dir), (s, store, k, kind) -> {
      training.countDown();
      try {
        assertTrue(release.await(20, TimeUnit.SECONDS));
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
      return fakeTrain(s, store, k, kind);
    });
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<GuestCds> first = pool.submit(() -> forRun(a));
      assertTrue(training.await(20, TimeUnit.SECONDS));
      assertEquals(GuestCds.OFF, forRun(a));
      release.countDown();
      assertTrue(first.get(20, TimeUnit.SECONDS) instanceof GuestCds.Use);
    } finally {
      release.countDown();
      pool.shutdownNow();
      assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }
    assertEquals(1, trainings.get());
  }

  /** Records the archive events in order. */
  static final class Events implements ArchiveEvents {
    final List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public void start() {
      seen.add("start");
    }

    @Override
    public void end() {
      seen.add("end");
    }

    @Override
    public void failed(String reason) {
      seen.add("failed: " + reason);
    }
  }

  PrepareResult prepare(GuestArchive a, Events events) {
    return a.prepare(spec, events);
  }

  @Test
  void aRunThatTrainsTellsTheListenerAndALaterRunTellsNothing() {
    GuestArchive a = new GuestArchive(CdsConfig.at(dir), this::fakeTrain);
    Events events = new Events();
    assertTrue(a.forRun(spec, events) instanceof GuestCds.Use);
    assertEquals(List.of("start", "end"), events.seen);
    assertTrue(a.forRun(spec, events) instanceof GuestCds.Use);
    assertEquals(List.of("start", "end"), events.seen, "nothing when the archive is there");
  }

  @Test
  void aRunWhoseTrainingFailsTellsTheListenerWhy() {
    GuestArchive a = new GuestArchive(CdsConfig.at(dir), (s, store, k, kind) -> {
      throw new CdsTrainer.TrainingFailed("the training sandbox exited with status 3.", "");
    });
    Events events = new Events();
    assertEquals(GuestCds.OFF, a.forRun(spec, events));
    assertEquals(List.of("start", "failed: the training sandbox exited with status 3"), events.seen);
  }

  @Test
  void prepareBuildsAMissingArchiveThenFindsItPresent() {
    GuestArchive a = new GuestArchive(CdsConfig.at(dir), this::fakeTrain);
    Events events = new Events();
    Path archive = dir.resolve(CdsStore.archiveName(key, 7));

    PrepareResult built = prepare(a, events);
    assertEquals(PrepareResult.Status.BUILT, built.status(), built.detail());
    assertEquals(java.util.Optional.of(archive), built.archive());
    assertEquals("", built.detail());
    assertTrue(built.ok());
    assertEquals(List.of("start", "end"), events.seen);

    PrepareResult again = prepare(a, events);
    assertEquals(PrepareResult.Status.ALREADY_PRESENT, again.status());
    assertEquals(java.util.Optional.of(archive), again.archive());
    assertEquals(List.of("start", "end"), events.seen, "no training, no event");
    assertEquals(1, trainings.get());
    assertEquals(new GuestCds.Use(archive), forRun(a), "a run uses what prepare built");
    assertEquals(1, trainings.get());
  }

  @Test
  void prepareWithArchivesOffSaysSoAndCreatesNothing() {
    GuestArchive a = new GuestArchive(CdsConfig.off("SANDBOXKIT_NO_CDS is set"), this::fakeTrain);
    Events events = new Events();
    PrepareResult r = prepare(a, events);
    assertEquals(PrepareResult.Status.DISABLED, r.status());
    assertEquals("class-data archives are off: SANDBOXKIT_NO_CDS is set", r.detail());
    assertTrue(r.ok());
    assertEquals(java.util.Optional.empty(), r.archive());
    assertEquals(0, trainings.get());
    assertEquals(List.of(), events.seen);
    assertFalse(Files.exists(dir));
  }

  @Test
  void prepareReportsAFailedTrainingWithItsReasonAndTheNote() {
    GuestArchive a = new GuestArchive(CdsConfig.at(dir), (s, store, k, kind) -> {
      trainings.incrementAndGet();
      throw new CdsTrainer.TrainingFailed("the training sandbox exited with status 3", "agent log line");
    });
    Events events = new Events();
    PrepareResult r = prepare(a, events);
    assertEquals(PrepareResult.Status.FAILED, r.status());
    assertFalse(r.ok());
    assertEquals("the training sandbox exited with status 3 (details in " + dir.resolve("guest-" + key + ".failed")
        + ")", r.detail());
    assertEquals(List.of("start", "failed: the training sandbox exited with status 3"), events.seen);
    assertTrue(Files.exists(dir.resolve("guest-" + key + ".failed")), "the note is kept for runs");
  }

  /** A run never retries a failed training (it would cost every run 3 s); an explicit prepare does. */
  @Test
  void prepareRetriesATrainingThatFailedBefore() throws IOException {
    GuestArchive failing = new GuestArchive(CdsConfig.at(dir), (s, store, k, kind) -> {
      throw new CdsTrainer.TrainingFailed("boom", "");
    });
    assertEquals(GuestCds.OFF, forRun(failing));
    Path note = dir.resolve("guest-" + key + ".failed");
    assertTrue(Files.exists(note));
    GuestArchive a = new GuestArchive(CdsConfig.at(dir), this::fakeTrain);
    assertEquals(GuestCds.OFF, forRun(a), "a run does not retry");
    assertEquals(0, trainings.get());

    PrepareResult r = prepare(a, new Events());
    assertEquals(PrepareResult.Status.BUILT, r.status(), r.detail());
    assertEquals(1, trainings.get());
    assertFalse(Files.exists(note));
    assertTrue(forRun(a) instanceof GuestCds.Use);
  }

  @Test
  void prepareReportsAnArchiveThatIsPresentButNotTrustedAndDoesNotTrainOverIt() throws IOException {
    GuestArchive a = new GuestArchive(CdsConfig.at(dir), this::fakeTrain);
    GuestCds.Use used = (GuestCds.Use) forRun(a);
    Files.setPosixFilePermissions(used.archive(), PosixFilePermissions.fromString("rw-rw-rw-"));
    PrepareResult r = prepare(a, new Events());
    assertEquals(PrepareResult.Status.FAILED, r.status());
    assertTrue(r.detail().startsWith("an archive is present but not used ("), r.detail());
    assertTrue(r.detail().endsWith("): delete it to have it built again"), r.detail());
    assertEquals(1, trainings.get());
  }

  @Test
  void prepareWithAMissingGuestJarFailsAndSaysWhich() throws IOException {
    Files.delete(spec.guestJar());
    PrepareResult r = prepare(new GuestArchive(CdsConfig.at(dir), this::fakeTrain), new Events());
    assertEquals(PrepareResult.Status.FAILED, r.status());
    assertTrue(r.detail().startsWith("cannot read the guest jar " + spec.guestJar()), r.detail());
    assertEquals(0, trainings.get());
  }

  /** Unlike a run, an explicit prepare waits for a training another thread of this JVM is doing. */
  @Test
  void prepareWaitsForATrainingInProgressAndThenFindsItsArchive() throws Exception {
    CountDownLatch training = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    GuestArchive a = new GuestArchive(CdsConfig.at(dir), (s, store, k, kind) -> {
      training.countDown();
      try {
        assertTrue(release.await(20, TimeUnit.SECONDS));
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
      return fakeTrain(s, store, k, kind);
    });
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<GuestCds> run = pool.submit(() -> forRun(a));
      assertTrue(training.await(20, TimeUnit.SECONDS));
      Future<PrepareResult> prep = pool.submit(() -> prepare(a, new Events()));
      // Bounded, not timed: prepare must still be blocked while the training holds the lock.
      assertThrows(java.util.concurrent.TimeoutException.class, () -> prep.get(300, TimeUnit.MILLISECONDS));
      release.countDown();
      assertTrue(run.get(20, TimeUnit.SECONDS) instanceof GuestCds.Use);
      assertEquals(PrepareResult.Status.ALREADY_PRESENT, prep.get(20, TimeUnit.SECONDS).status());
    } finally {
      release.countDown();
      pool.shutdownNow();
      assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }
    assertEquals(1, trainings.get());
  }

  @Test
  void aResultCarriesAnArchiveExactlyWhenOneIsThere() {
    java.time.Duration d = java.time.Duration.ZERO;
    assertThrows(IllegalArgumentException.class,
        () -> new PrepareResult(PrepareResult.Status.BUILT, java.util.Optional.empty(), d, ""));
    assertThrows(IllegalArgumentException.class,
        () -> new PrepareResult(PrepareResult.Status.FAILED, java.util.Optional.of(dir), d, "x"));
    assertFalse(new PrepareResult(PrepareResult.Status.FAILED, java.util.Optional.empty(), d, "x").ok());
    assertTrue(new PrepareResult(PrepareResult.Status.NOT_APPLICABLE, java.util.Optional.empty(), d, null).ok());
  }
}
