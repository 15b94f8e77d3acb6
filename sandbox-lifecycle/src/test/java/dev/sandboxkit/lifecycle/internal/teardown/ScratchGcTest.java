package dev.sandboxkit.lifecycle.internal.teardown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScratchGcTest {

  @TempDir Path tmp;

  @Test
  void gcRemovesOnlyMarkerlessDirs() throws IOException {
    MarkerStore store = new MarkerStore(tmp);
    Path markerless = store.createRunDir();
    Files.createDirectories(markerless.resolve("rendezvous"));
    Path marked = store.createRunDir();
    store.write(marked, Marker.forCurrentProcess(List.of()));
    Clock later = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(1));
    assertEquals(List.of(markerless), ScratchGc.collect(store, Duration.ZERO, later));
    assertFalse(Files.exists(markerless));
    assertTrue(Files.exists(marked));
  }

  @Test
  void gcSkipsYoungMarkerlessDirs() throws IOException {
    MarkerStore store = new MarkerStore(tmp);
    Path young = store.createRunDir();
    assertEquals(List.of(), ScratchGc.collect(store, Duration.ofSeconds(3600), Clock.systemUTC()));
    assertTrue(Files.exists(young));
  }

  @Test
  void defaultAgeIs120SecondsJudgedByMtime() throws IOException {
    MarkerStore store = new MarkerStore(tmp);
    Path old = store.createRunDir();
    Path recent = store.createRunDir();
    Instant now = Instant.parse("2030-01-01T00:00:00Z");
    Files.setLastModifiedTime(old, FileTime.from(now.minusSeconds(120)));
    Files.setLastModifiedTime(recent, FileTime.from(now.minusSeconds(119)));
    assertEquals(Duration.ofSeconds(120), ScratchGc.DEFAULT_MIN_AGE);
    assertEquals(List.of(old), ScratchGc.collect(store, ScratchGc.DEFAULT_MIN_AGE, Clock.fixed(now, ZoneOffset.UTC)));
    assertTrue(Files.exists(recent));
  }

  @Test
  void gcOfMissingRootIsEmpty() {
    assertEquals(List.of(), ScratchGc.collect(new MarkerStore(tmp.resolve("none"))));
  }
}
