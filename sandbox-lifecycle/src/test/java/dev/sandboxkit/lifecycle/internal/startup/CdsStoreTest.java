package dev.sandboxkit.lifecycle.internal.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The cache folder: what may be mapped, publishing, pruning, failure notes, stale training folders. */
@Timeout(30)
class CdsStoreTest {
  static final String KEY = "0123456789abcdef";
  static final String OTHER = "fedcba9876543210";
  @TempDir Path temp;
  Path dir;
  CdsStore store;
  long euid;

  @BeforeEach
  void setUp() throws IOException {
    dir = temp.resolve("cache/sandboxkit/cds");
    store = new CdsStore(dir);
    euid = dev.sandboxkit.lifecycle.internal.controlplane.EffectiveUid.read().orElseThrow();
  }

  static CdsStore.Facts file(long uid, int mode, long size) {
    return new CdsStore.Facts(true, false, uid, mode, size, 0);
  }

  @Test
  void rejectArchiveTable() {
    assertEquals(Optional.empty(), CdsStore.rejectArchive(file(1000, 0444, 42), 1000, 42));
    assertEquals(Optional.empty(), CdsStore.rejectArchive(file(1000, 0644, 42), 1000, 42));
    assertEquals(Optional.of("it is owned by uid 0, not by this user (uid 1000)"),
        CdsStore.rejectArchive(file(0, 0444, 42), 1000, 42));
    assertEquals(Optional.of("others may write to it (mode 0446)"),
        CdsStore.rejectArchive(file(1000, 0446, 42), 1000, 42));
    assertEquals(Optional.of("others may write to it (mode 0464)"),
        CdsStore.rejectArchive(file(1000, 0464, 42), 1000, 42));
    assertEquals(Optional.of("it has 41 bytes but was published with 42 (truncated or changed)"),
        CdsStore.rejectArchive(file(1000, 0444, 41), 1000, 42));
    assertEquals(Optional.of("it is not a regular file"),
        CdsStore.rejectArchive(new CdsStore.Facts(false, false, 1000, 0777, 42, 0), 1000, 42));
  }

  @Test
  void rejectDirTable() {
    assertEquals(Optional.empty(), CdsStore.rejectDir(new CdsStore.Facts(false, true, 5, 0700, 0, 0), 5));
    assertEquals(Optional.empty(), CdsStore.rejectDir(new CdsStore.Facts(false, true, 5, 0755, 0, 0), 5));
    assertEquals(Optional.of("others may write to it (mode 0777)"),
        CdsStore.rejectDir(new CdsStore.Facts(false, true, 5, 0777, 0, 0), 5));
    assertEquals(Optional.of("it is owned by uid 6, not by this user (uid 5)"),
        CdsStore.rejectDir(new CdsStore.Facts(false, true, 6, 0700, 0, 0), 5));
    assertEquals(Optional.of("it is not a directory"),
        CdsStore.rejectDir(new CdsStore.Facts(true, false, 5, 0700, 0, 0), 5));
  }

  @Test
  void namesCarryKeyAndSize() {
    assertEquals("guest-" + KEY + "-42.jsa", CdsStore.archiveName(KEY, 42));
    assertEquals(Optional.of(42L), CdsStore.publishedSize("guest-" + KEY + "-42.jsa", KEY));
    assertEquals(Optional.empty(), CdsStore.publishedSize("guest-" + KEY + "-42.jsa", OTHER));
    assertEquals(Optional.empty(), CdsStore.publishedSize("guest-" + KEY + "-042.jsa", KEY));
    assertEquals(Optional.empty(), CdsStore.publishedSize("guest-" + KEY + "-0.jsa", KEY));
    assertEquals(Optional.empty(), CdsStore.publishedSize("guest-" + KEY + "-99999999999999999999.jsa", KEY));
    assertEquals(Optional.empty(), CdsStore.publishedSize("cli-123.jsa", KEY));
  }

  Path publishBytes(String key, int size) throws IOException {
    store.secure(euid);
    Path work = store.newTrainingDir();
    Path staged = Files.write(work.resolve("guest.jsa"), new byte[size]);
    Files.setPosixFilePermissions(staged, PosixFilePermissions.fromString("r--r--r--"));
    Path published = store.publish(staged, key);
    CdsStore.deleteTree(work);
    return published;
  }

  @Test
  void findsAPublishedArchive() throws IOException {
    assertEquals(Optional.empty(), store.find(KEY, euid, new ArrayList<>()), "no folder yet");
    Path p = publishBytes(KEY, 100);
    assertEquals(dir.resolve("guest-" + KEY + "-100.jsa"), p);
    List<String> rejected = new ArrayList<>();
    assertEquals(Optional.of(p), store.find(KEY, euid, rejected));
    assertEquals(List.of(), rejected);
    assertEquals(Optional.empty(), store.find(OTHER, euid, rejected));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    assertEquals("r--r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
  }

  @Test
  void ignoresATruncatedArchive() throws IOException {
    Path p = publishBytes(KEY, 100);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
    Files.write(p, new byte[60]);
    List<String> rejected = new ArrayList<>();
    assertEquals(Optional.empty(), store.find(KEY, euid, rejected));
    assertEquals(1, rejected.size(), rejected.toString());
    assertTrue(rejected.get(0).contains("it has 60 bytes but was published with 100"), rejected.toString());
  }

  @Test
  void ignoresAWorldWritableArchive() throws IOException {
    Path p = publishBytes(KEY, 100);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("r--r--rw-"));
    List<String> rejected = new ArrayList<>();
    assertEquals(Optional.empty(), store.find(KEY, euid, rejected));
    assertTrue(rejected.get(0).contains("others may write to it (mode 0446)"), rejected.toString());
  }

  @Test
  void ignoresASymbolicLink() throws IOException {
    store.secure(euid);
    Path real = Files.write(temp.resolve("elsewhere.jsa"), new byte[100]);
    Files.createSymbolicLink(dir.resolve(CdsStore.archiveName(KEY, 100)), real);
    List<String> rejected = new ArrayList<>();
    assertEquals(Optional.empty(), store.find(KEY, euid, rejected));
    assertTrue(rejected.get(0).contains("it is not a regular file"), rejected.toString());
  }

  @Test
  void ignoresEverythingInAFolderOthersMayWrite() throws IOException {
    publishBytes(KEY, 100);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    List<String> rejected = new ArrayList<>();
    assertEquals(Optional.empty(), store.find(KEY, euid, rejected));
    assertTrue(rejected.get(0).contains("is not safe: others may write to it (mode 0777)"), rejected.toString());
  }

  @Test
  void secureCreatesOwnerOnlyAndTightensAnExistingFolder() throws IOException {
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x")); // as mkdir -p leaves it
    store.secure(euid);
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
  }

  @Test
  void secureRefusesAFileInThePlaceOfTheFolder() throws IOException {
    Files.createDirectories(dir.getParent());
    Files.write(dir, new byte[1]);
    IOException e = assertThrows(IOException.class, () -> store.secure(euid));
    assertEquals("it is not a directory", e.getMessage());
  }

  @Test
  void usedOldArchivesAreTouchedSoPruningSparesThem() throws IOException {
    Path p = publishBytes(KEY, 100);
    Files.setLastModifiedTime(p, FileTime.from(Instant.now().minus(Duration.ofDays(20))));
    assertEquals(Optional.of(p), store.find(KEY, euid, new ArrayList<>()));
    assertTrue(Files.getLastModifiedTime(p).toInstant().isAfter(Instant.now().minus(Duration.ofDays(1))));
  }

  @Test
  void prunesOnlyOtherKeysOlderThanThirtyDays() throws IOException {
    store.secure(euid);
    Instant old = Instant.now().minus(Duration.ofDays(31));
    Path oldOther = Files.write(dir.resolve(CdsStore.archiveName(OTHER, 5)), new byte[5]);
    Path oldOtherNote = Files.write(dir.resolve("guest-" + OTHER + ".failed"), new byte[1]);
    Path recentOther = Files.write(dir.resolve(CdsStore.archiveName("1111111111111111", 5)), new byte[5]);
    Path oldCli = Files.write(dir.resolve("cli-123.jsa"), new byte[5]);
    Path oldSameKeyNote = Files.write(dir.resolve("guest-" + KEY + ".failed"), new byte[1]);
    for (Path p : List.of(oldOther, oldOtherNote, oldCli, oldSameKeyNote)) {
      Files.setLastModifiedTime(p, FileTime.from(old));
    }
    Path fresh = publishBytes(KEY, 100); // publishing prunes
    assertFalse(Files.exists(oldOther));
    assertFalse(Files.exists(oldOtherNote));
    assertTrue(Files.exists(recentOther));
    assertTrue(Files.exists(oldCli), "the launcher's cli-*.jsa are not ours");
    assertTrue(Files.exists(oldSameKeyNote));
    assertTrue(Files.exists(fresh));
  }

  @Test
  void jnaLibrariesLeftByEarlierVersionsArePrunedAfterThirtyDaysUnused() throws IOException {
    // earlier versions extracted JNA's library into this folder (guest-jna-<key>.so, read-only); no
    // longer made or used, they go as other keys' files do
    store.secure(euid);
    Path old = Files.write(dir.resolve("guest-jna-0123456789abcdef.so"), new byte[5]);
    Path recent = Files.write(dir.resolve("guest-jna-fedcba9876543210.so"), new byte[5]);
    for (Path p : List.of(old, recent)) {
      Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("r--r--r--"));
    }
    Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofDays(31))));
    publishBytes(KEY, 100); // publishing prunes
    assertFalse(Files.exists(old));
    assertTrue(Files.exists(recent), "used within 30 days: kept until then");
  }

  @Test
  void keepsOnlyTheMostRecentOtherKeysArchives() throws IOException {
    store.secure(euid);
    List<Path> others = new ArrayList<>();
    for (int i = 0; i < CdsStore.KEEP_OTHERS + 3; i++) {
      Path p = Files.write(dir.resolve(CdsStore.archiveName(String.format("%016x", i + 1), 5)), new byte[5]);
      Files.setLastModifiedTime(p, FileTime.from(Instant.now().minus(Duration.ofHours(100 - i))));
      others.add(p);
    }
    Path note = Files.write(dir.resolve("guest-" + OTHER + ".failed"), new byte[1]);
    Path fresh = publishBytes(KEY, 100);
    for (int i = 0; i < others.size(); i++) {
      assertEquals(i >= 3, Files.exists(others.get(i)), "the 3 oldest go: " + others.get(i));
    }
    assertTrue(Files.exists(note), "notes are tiny: only the 30-day rule");
    assertTrue(Files.exists(fresh));
  }

  @Test
  void theFolderIsBoundedInSizeLeastRecentlyUsedFirstLauncherArchivesIncluded() throws IOException {
    store.secure(euid);
    // Issue 13.13: 151 MB of archives, one per rebuild. Sizes in bytes here, the bound scaled to 25.
    Path cliOld = Files.write(dir.resolve("cli-1111.jsa"), new byte[10]);
    Path guestOld = Files.write(dir.resolve(CdsStore.archiveName(OTHER, 10)), new byte[10]);
    Path cliRecent = Files.write(dir.resolve("cli-2222.jsa"), new byte[10]);
    Path key = Files.write(dir.resolve("cli-2222.key"), new byte[10]);
    Path current = Files.write(dir.resolve(CdsStore.archiveName(KEY, 10)), new byte[10]);
    Instant now = Instant.now();
    Files.setLastModifiedTime(cliOld, FileTime.from(now.minus(Duration.ofHours(3))));
    Files.setAttribute(cliOld, "lastAccessTime", FileTime.from(now.minus(Duration.ofHours(3))));
    Files.setLastModifiedTime(guestOld, FileTime.from(now.minus(Duration.ofHours(2))));
    Files.setAttribute(guestOld, "lastAccessTime", FileTime.from(now.minus(Duration.ofHours(2))));
    Files.setLastModifiedTime(cliRecent, FileTime.from(now.minus(Duration.ofDays(5))));
    Files.setAttribute(cliRecent, "lastAccessTime", FileTime.from(now.minus(Duration.ofMinutes(1)))); // read by a run
    Files.setLastModifiedTime(current, FileTime.from(now.minus(Duration.ofDays(9)))); // old, but this key's
    Files.setAttribute(current, "lastAccessTime", FileTime.from(now.minus(Duration.ofDays(9))));
    assertEquals(2, store.bound(KEY, 25));
    assertTrue(Files.exists(cliRecent), "used a minute ago (atime): kept");
    assertTrue(Files.exists(current), "this key's archive is never bounded away");
    assertFalse(Files.exists(guestOld));
    assertFalse(Files.exists(cliOld));
    assertTrue(Files.exists(key), "only archives count");
    assertEquals(0, store.bound(KEY, 25), "within the bound: nothing more");
  }

  @Test
  void theDefaultBoundHoldsAFewBuildsOfBothArchives() {
    assertTrue(CdsStore.MAX_BYTES >= 4 * (16 + 9) * 1024 * 1024L, "room for the current and a few previous builds");
    assertTrue(CdsStore.MAX_BYTES <= 128 * 1024 * 1024L, "the 151 MB of the issue is over it");
  }

  @Test
  void failureNoteIsOwnerOnlyAndReplaced() throws IOException {
    store.secure(euid);
    store.writeFailureNote(KEY, "first");
    store.writeFailureNote(KEY, "second reason");
    Path note = store.failureNote(KEY);
    assertEquals("second reason", Files.readString(note));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(note)));
    try (var s = Files.list(dir)) {
      assertEquals(List.of(note), s.toList(), "no temp file left");
    }
  }

  @Test
  void staleTrainingFoldersOfDeadProcessesAreRemoved() throws IOException {
    store.secure(euid);
    Path dead = Files.createDirectories(dir.resolve("train-2147483646-1-abc/cds"));
    Files.write(dead.resolve("guest.jsa"), new byte[3]);
    Path reused = Files.createDirectories(dir.resolve("train-" + ProcessHandle.current().pid() + "-1-abc"));
    Path mine = store.newTrainingDir();
    Path notOurs = Files.createDirectories(dir.resolve("train-notapid"));
    assertEquals(2, store.removeStaleTrainingDirs());
    assertFalse(Files.exists(dead.getParent(), LinkOption.NOFOLLOW_LINKS));
    assertFalse(Files.exists(reused), "same pid, other start time: a reused pid");
    assertTrue(Files.isDirectory(mine));
    assertTrue(Files.isDirectory(notOurs));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(mine)));
  }

  @Test
  void aliveMeansSamePidAndStartTime() {
    long pid = ProcessHandle.current().pid();
    long start = ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli();
    assertTrue(CdsStore.alive(pid, start));
    assertTrue(CdsStore.alive(pid, 0));
    assertFalse(CdsStore.alive(pid, start + 1));
    assertFalse(CdsStore.alive(2147483646L, 0));
  }

  /** Two JVMs publishing at once (simulated with two threads): both succeed, one valid archive stays. */
  @Test
  void concurrentPublishersBothSucceed() throws Exception {
    store.secure(euid);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Path>> done = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        Path work = store.newTrainingDir();
        Path staged = Files.write(work.resolve("guest.jsa"), new byte[100]);
        done.add(pool.submit(() -> {
          go.await();
          return store.publish(staged, KEY);
        }));
      }
      go.countDown();
      for (Future<Path> f : done) {
        assertEquals(dir.resolve(CdsStore.archiveName(KEY, 100)), f.get(10, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
      assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }
    assertTrue(store.find(KEY, euid, new ArrayList<>()).isPresent());
  }
}
