package dev.sandboxkit.lifecycle.internal.teardown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sandboxkit.lifecycle.internal.controlplane.OwnershipException;
import dev.sandboxkit.lifecycle.internal.controlplane.VmProcId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class MarkerStoreTest {

  @TempDir Path tmp;
  MarkerStore store;

  @BeforeEach
  void setUp() throws IOException {
    store = new MarkerStore(tmp.resolve("sandboxkit").resolve("oneshot"));
    store.secureRoot();
  }

  @Test
  void defaultRootIsUnderTheTempDir() {
    assertTrue(MarkerStore.defaultRoot().startsWith(Path.of(System.getProperty("java.io.tmpdir"))));
    assertEquals(Path.of("/tmp", "sandboxkit-alice", "oneshot"), MarkerStore.defaultRoot("/tmp", "alice", false));
    assertEquals(Path.of("/tmp", "sandboxkit", "oneshot"), MarkerStore.defaultRoot("/tmp", "alice", true));
    assertEquals(Path.of("/tmp", "sandboxkit-a_b", "oneshot"), MarkerStore.defaultRoot("/tmp", "a/b", false));
    assertEquals(Path.of("/tmp", "sandboxkit-user", "oneshot"), MarkerStore.defaultRoot("/tmp", "..", false));
  }

  @Test
  @DisabledOnOs(OS.WINDOWS)
  void rootAndRunDirsAreOwnerOnly() throws IOException {
    Path run = store.createRunDir();
    assertEquals(store.root(), run.getParent());
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.root())));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(run)));
  }

  @Test
  void runDirNamesAreUuids() throws IOException {
    String name = store.createRunDir().getFileName().toString();
    assertTrue(name.matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}"), name);
  }

  /** The start picks the sandbox id first (its events carry it), then creates the run dir of that name. */
  @Test
  void aRunDirOfAChosenIdIsCreatedOnceAndNeverReused() throws IOException {
    java.util.UUID id = java.util.UUID.randomUUID();
    Path run = store.createRunDir(id);
    assertEquals(store.root().resolve(id.toString()), run);
    assertTrue(Files.isDirectory(run));
    assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> store.createRunDir(id),
        "an existing run dir (another sandbox's) is never taken over");
  }

  @Test
  void listMarkerDirsFindsOnlyMarkedDirs() throws IOException {
    Path marked = store.createRunDir();
    store.write(marked, Marker.forCurrentProcess(List.of()));
    store.createRunDir();
    Files.writeString(store.root().resolve("stray-file"), "x");
    assertEquals(List.of(marked), store.listMarkerDirs());
    assertEquals(2, store.listRunDirs().size());
  }

  @Test
  void excludingHidesOneRunDirFromListingsAndScratchGcButNotFromTheOriginal() throws IOException {
    Path ours = store.createRunDir();
    Path other = store.createRunDir();
    Path markerless = store.createRunDir();
    store.write(ours, new Marker(0, null, List.of()));
    store.write(other, new Marker(0, null, List.of()));
    Files.setLastModifiedTime(ours, java.nio.file.attribute.FileTime.fromMillis(0));
    MarkerStore view = store.excluding(ours);
    assertEquals(List.of(other), view.listMarkerDirs());
    assertFalse(view.listRunDirs().contains(ours));
    assertTrue(view.listRunDirs().containsAll(List.of(other, markerless)));
    assertEquals(view.root(), store.root());
    assertEquals(2, store.listMarkerDirs().size(), "the original store still lists both");
    assertEquals(List.of(), store.excluding(ours).excluding(other).listMarkerDirs());
    // Even a markerless, old dir of ours is invisible to scratch GC through the view.
    Files.delete(MarkerStore.markerFile(ours));
    Files.setLastModifiedTime(ours, java.nio.file.attribute.FileTime.fromMillis(0));
    assertEquals(List.of(), ScratchGc.collect(view, java.time.Duration.ZERO, java.time.Clock.systemUTC())
        .stream().filter(ours::equals).toList());
    assertTrue(Files.isDirectory(ours));
  }

  @Test
  void excludingMatchesAnEquivalentPathSpelling() throws IOException {
    Path ours = store.createRunDir();
    store.write(ours, new Marker(1, 2L, List.of()));
    MarkerStore view = store.excluding(ours.getParent().resolve(".").resolve(ours.getFileName()));
    assertEquals(List.of(), view.listMarkerDirs());
  }

  @Test
  void listMarkerDirsEmptyForMissingRoot() {
    MarkerStore missing = new MarkerStore(tmp.resolve("nope"));
    assertEquals(List.of(), missing.listMarkerDirs());
    assertEquals(List.of(), missing.listRunDirs());
  }

  @Test
  void writeMarkerCreatesMarkerFileAndNoTemps() throws IOException {
    Path run = store.createRunDir();
    store.write(run, Marker.forCurrentProcess(List.of()));
    assertTrue(Files.isRegularFile(run.resolve("oneshot.marker")));
    try (Stream<Path> s = Files.list(run)) {
      assertEquals(List.of(run.resolve("oneshot.marker")), s.toList());
    }
  }

  @Test
  void writeThenReadMarkerRoundTripsIdentity() throws IOException {
    Path run = store.createRunDir();
    store.write(run, Marker.forCurrentProcess(List.of()));
    Marker m = store.read(run).orElseThrow();
    assertEquals(ProcessHandle.current().pid(), m.launcherPid());
    assertEquals(VmProcId.current().map(VmProcId::creationTime).orElseThrow(), m.launcherCreationTime());
    assertEquals(List.of(), m.vmProcesses());
  }

  @Test
  void readMarkerNoneWhenAbsent() throws IOException {
    assertEquals(Optional.empty(), store.read(store.createRunDir()));
    assertEquals(Optional.empty(), store.readLenient(store.createRunDir()));
  }

  @Test
  void rewriteMarkerPreservesLauncherAndAddsProof() throws IOException {
    Path run = store.createRunDir();
    Marker first = Marker.forCurrentProcess(List.of());
    store.write(run, first);
    List<VmProcId> proof = List.of(new VmProcId(4321, 99));
    store.write(run, store.read(run).orElseThrow().withProof(proof));
    Marker again = store.read(run).orElseThrow();
    assertEquals(first.launcherPid(), again.launcherPid());
    assertEquals(first.launcherCreationTime(), again.launcherCreationTime());
    assertEquals(proof, again.vmProcesses());
  }

  @Test
  void legacyTextMarkerIsUnparseableAndCountsAsDeadWithoutProof() throws IOException {
    Path run = store.createRunDir();
    Files.writeString(MarkerStore.markerFile(run), "pid=1234\n");
    assertThrows(MarkerFormatException.class, () -> store.read(run));
    Marker dead = store.readLenient(run).orElseThrow();
    assertEquals(0, dead.launcherPid());
    assertEquals(List.of(), dead.vmProcesses());
    assertEquals(List.of(run), store.listMarkerDirs());
  }

  @Test
  @DisabledOnOs(OS.WINDOWS)
  void foreignOwnedMarkerIsNotTrusted() throws IOException {
    assumeTrue("root".equals(System.getProperty("user.name")), "needs root to chown");
    Path run = store.createRunDir();
    store.write(run, new Marker(1, 2L, List.of(new VmProcId(3, 4))));
    Files.setAttribute(MarkerStore.markerFile(run), "unix:uid", 65534);
    assertThrows(OwnershipException.class, () -> store.read(run));
    assertEquals(List.of(), store.readLenient(run).orElseThrow().vmProcesses());
  }

  @Test
  void clearMarkerDirRemovesDirAndMarker() throws IOException {
    Path run = store.createRunDir();
    store.write(run, Marker.forCurrentProcess(List.of()));
    Files.createDirectories(run.resolve("rendezvous").resolve("deep"));
    Files.writeString(run.resolve("rendezvous").resolve("deep").resolve("f"), "x");
    assertTrue(MarkerStore.clearMarkerDir(run));
    assertFalse(Files.exists(run));
    assertTrue(MarkerStore.clearMarkerDir(run), "clearing a missing dir is fine");
  }

  @Test
  @DisabledOnOs(OS.WINDOWS)
  void clearMarkerDirDoesNotFollowSymlinks() throws IOException {
    Path outside = Files.createDirectory(tmp.resolve("outside"));
    Path precious = Files.writeString(outside.resolve("precious"), "keep");
    Path run = store.createRunDir();
    Files.createSymbolicLink(run.resolve("link"), outside);
    assertTrue(MarkerStore.clearMarkerDir(run));
    assertTrue(Files.exists(precious));
  }

  @Test
  void secureRootRefusesAFile() throws IOException {
    Path file = Files.writeString(tmp.resolve("f"), "x");
    assertThrows(IOException.class, () -> new MarkerStore(file).secureRoot());
  }
}
