package dev.sandboxkit.lifecycle;

import dev.sandboxkit.*;

import static dev.sandboxkit.lifecycle.SessionHarness.shell;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The explicit step ({@link Sandbox.Builder#prepare()}) and the archive events on real bwrap with the
 * real guest jar: prepare trains into an empty cache folder, a second prepare finds it, a start uses
 * it without training, and a first start with an empty folder shows its training to the listener.
 */
@EnabledIfBubblewrapAvailable
@Timeout(240)
class PrepareEndToEndTest {
  @TempDir Path temp;
  Path state;
  Path cache;

  @RegisterExtension
  final NoLeaksExtension noLeaks = NoLeaksExtension.withStateRoot(() -> state).waiting(Duration.ofSeconds(10));

  @BeforeEach
  void setUp() throws IOException {
    state = Files.createDirectories(temp.resolve("state"));
    cache = temp.resolve("cache/cds"); // empty: created by the first training
  }

  /** Every event, as "name:sandboxId". */
  static final class Recorder implements SandboxListener {
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override public void prepareStart(String id) { events.add("prepareStart:" + id); }
    @Override public void prepareEnd(String id) { events.add("prepareEnd:" + id); }
    @Override public void archiveStart(String id) { events.add("archiveStart:" + id); }
    @Override public void archiveEnd(String id) { events.add("archiveEnd:" + id); }
    @Override public void archiveFailed(String id, String reason) { events.add("archiveFailed:" + id + ":" + reason); }
    @Override public void launchStart(String id) { events.add("launchStart:" + id); }

    List<String> archive() {
      return events.stream().filter(e -> e.startsWith("archive")).toList();
    }
  }

  @Test
  void prepareBuildsIntoAnEmptyCacheThenFindsItAndAStartUsesIt() throws Exception {
    Recorder rec = new Recorder();
    Sandbox.Builder b = SessionHarness.builder(state).cacheDir(cache).listener(rec);

    PrepareResult first = b.prepare();
    assertEquals(PrepareResult.Status.BUILT, first.status(), first.detail());
    Path archive = first.archive().orElseThrow();
    assertEquals(cache, archive.getParent());
    assertTrue(archive.getFileName().toString().matches("guest-[0-9a-f]+-[0-9]+\\.jsa"), archive.toString());
    assertTrue(Files.size(archive) > 1_000_000, "an archive of the agent's classes: " + Files.size(archive));
    assertTrue(first.elapsed().compareTo(Duration.ZERO) > 0);
    assertEquals(List.of("archiveStart:", "archiveEnd:"), rec.events, "no sandbox was started: only the training");
    assertEquals(List.of(), SessionHarness.runDirs(state), "prepare creates no run dir");

    FileTime built = Files.getLastModifiedTime(archive);
    PrepareResult second = b.prepare();
    assertEquals(PrepareResult.Status.ALREADY_PRESENT, second.status(), second.detail());
    assertEquals(first.archive(), second.archive());
    assertEquals(built, Files.getLastModifiedTime(archive), "not trained again");
    assertEquals(List.of("archiveStart:", "archiveEnd:"), rec.events);

    rec.events.clear();
    try (Sandbox sandbox = b.start()) {
      assertEquals("hi\n", sandbox.exec(shell("echo hi")).stdoutText());
    }
    assertEquals(List.of(), rec.archive(), "a start after prepare trains nothing");
    assertEquals(built, Files.getLastModifiedTime(archive));
  }

  @Test
  void aFirstStartWithAnEmptyCacheShowsTheTrainingToTheListenerWithItsId() throws Exception {
    Recorder rec = new Recorder();
    String id;
    try (Sandbox sandbox = SessionHarness.builder(state).cacheDir(cache).listener(rec).start()) {
      id = sandbox.id();
      assertEquals("hi\n", sandbox.exec(shell("echo hi")).stdoutText());
    }
    assertEquals(List.of("prepareStart:" + id, "archiveStart:" + id, "archiveEnd:" + id, "prepareEnd:" + id,
        "launchStart:" + id), rec.events.stream().limit(5).toList(),
        "the training happens within prepare, before the launch: " + rec.events);

    rec.events.clear();
    try (Sandbox sandbox = SessionHarness.builder(state).cacheDir(cache).listener(rec).start()) {
      sandbox.exec(shell("true"));
    }
    assertEquals(List.of(), rec.archive(), "the second start finds the archive");
  }

  @Test
  void prepareWithArchivesOffDoesNothing() throws Exception {
    Recorder rec = new Recorder();
    PrepareResult r = SessionHarness.builder(state).cacheDir(cache).classDataArchives(false).listener(rec).prepare();
    assertEquals(PrepareResult.Status.DISABLED, r.status());
    assertTrue(r.detail().startsWith("class-data archives are off"), r.detail());
    assertEquals(List.of(), rec.events);
    assertFalse(Files.exists(cache));
  }

  @Test
  void prepareWithAGuestJarThatIsNotThereIsRejectedAndSaysWhichJar() {
    Path missing = temp.resolve("nowhere/sandboxkit-guest.jar");
    SandboxException e = assertThrows(SandboxException.class,
        () -> SessionHarness.builder(state).cacheDir(cache).guestJar(missing).prepare());
    assertEquals(FailurePhase.REJECTED, e.phase());
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    assertFalse(Files.exists(cache));
  }

  @Test
  void theOneShotRunnerPreparesTheSameWay() throws Exception {
    OneShotRunner runner = OneShotRunner.builder(SandboxDrivers.byName("bubblewrap")).stateRoot(state)
        .cacheDir(cache).classDataArchives(false).build();
    assertEquals(PrepareResult.Status.DISABLED, runner.prepare().status());
  }
}
