package dev.sandboxkit.lifecycle.internal.vm.bubblewrap;

import dev.sandboxkit.lifecycle.internal.startup.ArchiveKind;
import dev.sandboxkit.lifecycle.internal.startup.CdsConfig;
import dev.sandboxkit.lifecycle.internal.startup.CdsKey;
import dev.sandboxkit.lifecycle.internal.startup.CdsStore;
import dev.sandboxkit.lifecycle.internal.startup.GuestArchive;
import dev.sandboxkit.lifecycle.internal.startup.GuestCds;
import dev.sandboxkit.lifecycle.internal.startup.GuestSandbox;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.lifecycle.NetworkAccess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver's start-up work ahead of a run ({@link BubblewrapDriver#warmUp}, {@link
 * GuestArchive#warmUp}): reads only, never trains, creates, touches or throws.
 */
@Timeout(60)
class WarmUpTest {
  @TempDir Path temp;
  final AtomicInteger trainings = new AtomicInteger();

  Path train(GuestSandbox s, CdsStore store, String k, ArchiveKind kind) {
    trainings.incrementAndGet();
    throw new AssertionError("a warm-up must never train");
  }

  @Test
  void driverWarmUpCreatesStartsAndTrainsNothing() throws IOException {
    Path cds = temp.resolve("cache/cds");
    long children = ProcessHandle.current().children().count();
    BubblewrapDriver d = new BubblewrapDriver(false, new GuestArchive(CdsConfig.at(cds), this::train));
    d.warmUp();
    d.warmUp(); // again: as harmless
    assertEquals(0, trainings.get());
    assertFalse(Files.exists(temp.resolve("cache")), "the archive folder was created");
    assertEquals(children, ProcessHandle.current().children().count(), "the warm-up started a process");
  }

  @Test
  void rootDriverWarmUpAlsoLeavesEverythingAsItWas() throws IOException {
    Path cds = Files.createDirectories(temp.resolve("cds"));
    try (Stream<Path> before = Files.list(cds)) {
      assertEquals(0, before.count());
    }
    new BubblewrapDriver(true, new GuestArchive(CdsConfig.at(cds), this::train)).warmUp();
    try (Stream<Path> after = Files.list(cds)) {
      assertEquals(0, after.count(), "nothing was written to the archive folder");
    }
    assertEquals(0, trainings.get());
  }

  @Test
  void archiveWarmUpNamesTheKeyWithoutDecidingOrTouching() throws IOException {
    Path dir = Files.createDirectories(temp.resolve("cds"));
    Path jar = Files.write(temp.resolve("sandboxkit-guest.jar"), new byte[10]);
    Path home = Files.createDirectories(temp.resolve("jdk/lib")).getParent();
    Files.write(home.resolve("lib/modules"), new byte[20]);
    BwrapCommand.Spec spec = new BwrapCommand.Spec(Path.of("/usr/bin/bwrap"), false, 65534, 65534, home, List.of(),
        jar, temp.resolve("rv"), List.of(), NetworkAccess.BLOCK);
    String key = CdsKey.of(CdsKey.probe(jar, home, BwrapCommand.JVM_FLAGS));
    Path old = Files.write(dir.resolve(CdsStore.archiveName(key, 7)), new byte[7]);
    FileTime longAgo = FileTime.fromMillis(System.currentTimeMillis() - CdsStore.TOUCH_AFTER.toMillis() * 2);
    Files.setLastModifiedTime(old, longAgo);

    GuestCds cds = new GuestArchive(CdsConfig.at(dir), this::train).warmUp(new BwrapGuest(spec, HostFacts.layout()));
    assertTrue(cds instanceof GuestCds.Use, cds.toString());
    assertTrue(((GuestCds.Use) cds).archive().getFileName().toString().startsWith("guest-" + key + "-"));
    assertEquals(longAgo, Files.getLastModifiedTime(old), "a warm-up must not refresh an archive's mtime");
    assertEquals(0, trainings.get());
  }

  @Test
  void archiveWarmUpIsOffWhenTheArchiveIsOffOrUnreadable() {
    BwrapCommand.Spec spec = new BwrapCommand.Spec(Path.of("/usr/bin/bwrap"), false, 65534, 65534,
        temp.resolve("no-jdk"), List.of(), temp.resolve("no.jar"), temp.resolve("rv"), List.of(), NetworkAccess.BLOCK);
    assertEquals(GuestCds.OFF, new GuestArchive(CdsConfig.off("test"), this::train).warmUp(new BwrapGuest(spec, HostFacts.layout())));
    assertEquals(GuestCds.OFF, new GuestArchive(CdsConfig.at(temp.resolve("cds")), this::train).warmUp(new BwrapGuest(spec, HostFacts.layout())),
        "the jar and runtime cannot be read");
    assertFalse(Files.exists(temp.resolve("cds")));
  }
}
