package dev.sandboxkit.lifecycle.internal.vm.bubblewrap;

import dev.sandboxkit.lifecycle.internal.startup.CdsConfig;
import dev.sandboxkit.lifecycle.internal.startup.ArchiveKind;
import dev.sandboxkit.lifecycle.internal.startup.CdsKey;
import dev.sandboxkit.lifecycle.internal.startup.CdsStore;
import dev.sandboxkit.lifecycle.internal.startup.CdsTrainer;
import dev.sandboxkit.lifecycle.internal.startup.GuestArchive;
import dev.sandboxkit.lifecycle.internal.startup.GuestCds;
import dev.sandboxkit.lifecycle.internal.vm.DriverSpi;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.lifecycle.EnabledIfBubblewrapAvailable;
import dev.sandboxkit.lifecycle.ExecutionRequest;
import dev.sandboxkit.lifecycle.ExecutionResult;
import dev.sandboxkit.lifecycle.NetworkAccess;
import dev.sandboxkit.lifecycle.NoLeaksExtension;
import dev.sandboxkit.OneShotRunner;
import dev.sandboxkit.lifecycle.SandboxException;
import dev.sandboxkit.lifecycle.SandboxPolicy;
import dev.sandboxkit.lifecycle.internal.controlplane.HostSlot;
import dev.sandboxkit.lifecycle.internal.policy.PolicyPlan;
import dev.sandboxkit.lifecycle.internal.teardown.MarkerStore;
import dev.sandboxkit.lifecycle.internal.teardown.ReconcileResult;
import dev.sandboxkit.lifecycle.internal.teardown.SandboxKiller;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The guest archive on real bwrap: trained once, used by later runs, and never a reason for a run to fail. */
@EnabledIfBubblewrapAvailable
@Timeout(180)
class GuestArchiveBwrapTest {
  /** One trained archive shared by the tests that only need a valid one. */
  @TempDir static Path shared;
  private static Path trained;

  @TempDir Path temp;
  Path state;
  Path cds;

  @RegisterExtension
  final NoLeaksExtension noLeaks = NoLeaksExtension.withStateRoot(() -> state).waiting(Duration.ofSeconds(10));

  @BeforeEach
  void setUp() throws IOException {
    state = Files.createDirectories(temp.resolve("state"));
    cds = temp.resolve("cache/sandboxkit/cds");
  }

  /** Records the command of each prepared sandbox. */
  static final class Recording implements DriverSpi {
    final BubblewrapDriver d;
    final List<List<String>> commands = Collections.synchronizedList(new java.util.ArrayList<>());
    /** Runs between prepare and launch (a concurrent process's doing). */
    volatile Runnable afterPrepare = () -> { };

    Recording(GuestArchive archive) {
      d = new BubblewrapDriver(HostFacts.isRoot(), archive);
    }

    @Override public String name() { return d.name(); }
    @Override public dev.sandboxkit.lifecycle.internal.vm.GuestPlatform platform() { return d.platform(); }
    @Override public List<Check> prerequisites() { return d.prerequisites(); }
    @Override
    public PolicyPlan checkEnforceable(SandboxPolicy p) throws SandboxException {
      return d.checkEnforceable(p);
    }

    @Override public HostSlot hostSlot() { return d.hostSlot(); }
    @Override public SandboxKiller killer() { return d.killer(); }
    @Override public ReconcileResult reconcile(MarkerStore s, boolean f) { return d.reconcile(s, f); }
    @Override public Transport transport() { return d.transport(); }
    @Override public Duration teardownPoll() { return d.teardownPoll(); }

    @Override
    public Instance prepare(Launch launch) throws SandboxException {
      BubblewrapInstance i = (BubblewrapInstance) d.prepare(launch);
      commands.add(i.command());
      afterPrepare.run();
      return i;
    }

    List<String> last() {
      return commands.get(commands.size() - 1);
    }
  }

  ExecutionResult run(Recording driver, String command) {
    return OneShotRunner.builder(driver).stateRoot(state).build().run(ExecutionRequest.builder(command).build());
  }

  static void assertHello(ExecutionResult r) {
    assertEquals(0, r.exitCode(), r.errorMessage() + " / " + r.extendedError());
    assertEquals("hello\n", r.stdoutText());
  }

  static String key() throws IOException {
    return CdsKey.of(CdsKey.probe(Path.of(System.getProperty("sandboxkit.guest.jar")),
        Path.of(System.getProperty("java.home")), CdsKey.flags(BwrapCommand.JVM_FLAGS, kind())));
  }

  /** This runtime's archive: an AOT cache on Java 25+ (the newest-LTS CI pass), else a class-data archive. */
  static ArchiveKind kind() {
    return ArchiveKind.forRuntime(javaHome());
  }

  /** The flag that maps the archive of {@link #kind()}. */
  static String mapFlag() {
    return (kind() == ArchiveKind.AOT ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=") + GuestCds.INSIDE_ARCHIVE;
  }

  /** The files of the folder: only the archives' (no JNA library is extracted into it any more). */
  List<Path> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().collect(Collectors.toList());
    }
  }

  static Path bound(List<String> command) {
    int i = command.indexOf(GuestCds.INSIDE_ARCHIVE);
    return i < 1 ? null : Path.of(command.get(i - 1));
  }

  /** A valid archive for this JVM's key (trained once per class). */
  static synchronized Path trained() {
    if (trained == null) {
      Path dir = shared.resolve("cds");
      GuestCds mode = new GuestArchive(CdsConfig.at(dir), new CdsTrainer()::train).forRun(
          new BwrapGuest(new BwrapCommand.Spec(HostFacts.findExecutable("bwrap").orElseThrow(), HostFacts.isRoot(),
              BubblewrapDriver.SANDBOX_UID, BubblewrapDriver.SANDBOX_GID, javaHome(),
              HostFacts.javaExtraRoots(javaHome()), Path.of(System.getProperty("sandboxkit.guest.jar")),
              shared, List.of(), NetworkAccess.BLOCK), HostFacts.layout()));
      assertTrue(mode instanceof GuestCds.Use, "training failed: " + mode);
      trained = ((GuestCds.Use) mode).archive();
    }
    return trained;
  }

  static Path javaHome() {
    try {
      return HostFacts.javaHome();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void firstRunTrainsAndPublishesThenEveryRunMapsTheArchive() throws IOException {
    Files.createDirectories(cds);
    Path stale = Files.createDirectories(cds.resolve("train-2147483646-1-x/cds")); // a host killed mid-training
    Recording driver = new Recording(new GuestArchive(CdsConfig.at(cds), new CdsTrainer()::train));

    assertHello(run(driver, "echo hello"));
    Path archive = cds.resolve(CdsStore.archiveName(key(), Files.size(bound(driver.last()))));
    assertEquals(archive, bound(driver.last()));
    assertTrue(driver.last().contains(mapFlag()), driver.last().toString());
    assertEquals(List.of(archive), files(cds), "published; the stale and the own training folders are gone");
    assertFalse(Files.exists(stale));
    assertEquals("r--r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(archive)));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cds)));
    CdsStore.Facts f = CdsStore.Facts.of(archive);
    assertEquals(HostFacts.effectiveUid().orElseThrow(), f.uid(), "owned by the host user, not the sandbox's");
    assertTrue(f.size() > 1_000_000, "an archive of the agent's classes: " + f.size());

    FileTime published = Files.getLastModifiedTime(archive);
    assertHello(run(driver, "echo hello"));
    assertEquals(archive, bound(driver.last()));
    assertEquals(published, Files.getLastModifiedTime(archive), "not trained again");
    assertEquals(List.of(archive), files(cds));
  }

  @Test
  void aFailedTrainingLeavesANoteAndTheRunSucceedsWithoutTheArchive() throws IOException {
    Recording driver = new Recording(new GuestArchive(CdsConfig.at(cds), new CdsTrainer(Duration.ofSeconds(60),
        "exit 3")::train));
    assertHello(run(driver, "echo hello"));
    assertEquals(null, bound(driver.last()));
    Path note = cds.resolve("guest-" + key() + ".failed");
    assertEquals(List.of(note), files(cds), "only the note: no archive, no training folder");
    String text = Files.readString(note);
    assertTrue(text.startsWith("the training command ended with EXITED exit code 3"), text);

    FileTime noted = Files.getLastModifiedTime(note);
    assertHello(run(driver, "echo hello"));
    assertEquals(null, bound(driver.last()));
    assertEquals(noted, Files.getLastModifiedTime(note), "not retried for the same key");
  }

  @Test
  void aTrainingPastItsDeadlineIsKilledAndLeavesNothingRunning() throws IOException {
    Recording driver = new Recording(new GuestArchive(CdsConfig.at(cds), new CdsTrainer(Duration.ofMillis(1),
        "true")::train));
    assertHello(run(driver, "echo hello"));
    assertEquals(null, bound(driver.last()));
    Path note = cds.resolve("guest-" + key() + ".failed");
    assertEquals(List.of(note), files(cds));
    assertTrue(Files.readString(note).startsWith("the training agent did not come up"), Files.readString(note));
    // NoLeaksExtension: the killed training sandbox is gone.
  }

  @Test
  void aTruncatedArchiveIsIgnoredAndTheRunSucceeds() throws IOException {
    Files.createDirectories(cds);
    Path copy = Files.copy(trained(), cds.resolve(trained().getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
    Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-------"));
    try (RandomAccessFile f = new RandomAccessFile(copy.toFile(), "rw")) {
      f.setLength(f.length() / 2);
    }
    Recording driver = new Recording(new GuestArchive(CdsConfig.at(cds), new CdsTrainer()::train));
    assertHello(run(driver, "echo hello"));
    assertEquals(null, bound(driver.last()));
    assertEquals(List.of(copy), files(cds), "not trained over");
  }

  @Test
  void aWorldWritableArchiveIsIgnoredAndTheRunSucceeds() throws IOException {
    Files.createDirectories(cds);
    Path copy = Files.copy(trained(), cds.resolve(trained().getFileName()));
    Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-rw-rw-"));
    Recording driver = new Recording(new GuestArchive(CdsConfig.at(cds), new CdsTrainer()::train));
    assertHello(run(driver, "echo hello"));
    assertEquals(null, bound(driver.last()));

    Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("r--r--r--"));
    assertHello(run(driver, "echo hello"));
    assertEquals(copy, bound(driver.last()), "the same file is used once only its owner may write it");
  }

  @Test
  void anArchivePrunedBetweenCheckAndSpawnOnlyCostsSpeed() throws IOException {
    Files.createDirectories(cds);
    Path copy = Files.copy(trained(), cds.resolve(trained().getFileName()));
    Recording driver = new Recording(new GuestArchive(CdsConfig.at(cds), new CdsTrainer()::train));
    driver.afterPrepare = () -> {
      try {
        Files.delete(copy);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
    assertHello(run(driver, "echo hello"));
    assertEquals(copy, bound(driver.last()));
    assertFalse(Files.exists(copy));
  }

  @Test
  void disabledByPropertyNothingIsTrainedOrMapped() {
    CdsConfig off = CdsConfig.resolve(p -> p.equals("sandboxkit.cds") ? "false" : null,
        java.util.Map.of("HOME", temp.toString()));
    Recording driver = new Recording(new GuestArchive(off, new CdsTrainer()::train));
    assertHello(run(driver, "echo hello"));
    assertEquals(null, bound(driver.last()));
    assertFalse(driver.last().stream().anyMatch(a -> a.contains("SharedArchiveFile") || a.contains("AOTCache")));
    assertFalse(Files.exists(temp.resolve(".cache")));
  }

  /** The check before publishing catches what would crash or mislead later guest JVMs. */
  @Test
  void theCheckAcceptsTheArchiveAndRejectsCorruptOrTruncatedCopies() throws Exception {
    Path good = Files.copy(trained(), temp.resolve("good.jsa"));
    Path corrupt = Files.copy(trained(), temp.resolve("corrupt.jsa"));
    // The copies keep the archive's read-only mode: only root could write them as they are.
    Files.setPosixFilePermissions(corrupt, PosixFilePermissions.fromString("rw-------"));
    try (RandomAccessFile f = new RandomAccessFile(corrupt.toFile(), "rw")) {
      f.seek(f.length() / 2);
      byte[] junk = new byte[4096];
      java.util.Arrays.fill(junk, (byte) 0x5a);
      f.write(junk);
    }
    Path truncated = Files.copy(trained(), temp.resolve("truncated.jsa"));
    Files.setPosixFilePermissions(truncated, PosixFilePermissions.fromString("rw-------"));
    try (RandomAccessFile f = new RandomAccessFile(truncated.toFile(), "rw")) {
      f.setLength(f.length() / 2);
    }
    for (Path p : List.of(good, corrupt, truncated)) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("r--r--r--"));
    }
    assertEquals(0, check(good));
    assertNotEquals(0, check(corrupt));
    assertNotEquals(0, check(truncated));
  }

  int check(Path archive) throws Exception {
    BwrapCommand.Spec spec = new BwrapCommand.Spec(HostFacts.findExecutable("bwrap").orElseThrow(), HostFacts.isRoot(),
        BubblewrapDriver.SANDBOX_UID, BubblewrapDriver.SANDBOX_GID, javaHome(), HostFacts.javaExtraRoots(javaHome()),
        Path.of(System.getProperty("sandboxkit.guest.jar")), Files.createDirectories(temp.resolve("rv")), List.of(),
        NetworkAccess.BLOCK, new GuestCds.Verify(archive, kind()));
    Process p = new ProcessBuilder(BwrapCommand.build(spec, HostFacts.layout()))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectErrorStream(true).redirectOutput(temp.resolve(archive.getFileName() + ".log").toFile()).start();
    try {
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the check did not finish");
      return p.exitValue();
    } finally {
      CloneOrphans.killTree(p);
    }
  }
}
