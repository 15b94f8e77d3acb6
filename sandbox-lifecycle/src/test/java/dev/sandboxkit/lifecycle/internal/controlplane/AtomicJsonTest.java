package dev.sandboxkit.lifecycle.internal.controlplane;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class AtomicJsonTest {

  @TempDir Path tmp;

  private List<Path> temps() throws IOException {
    try (Stream<Path> s = Files.list(tmp)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
    }
  }

  @Test
  void atomicWriteOverwritesExistingAndLeavesNoTemp() throws IOException {
    Path f = tmp.resolve("r.json");
    AtomicJson.writeBytes(f, "{\"v\":1}".getBytes(StandardCharsets.UTF_8));
    AtomicJson.writeBytes(f, "{\"v\":2}".getBytes(StandardCharsets.UTF_8));
    assertArrayEquals("{\"v\":2}".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(f));
    assertEquals(List.of(), temps());
  }

  @Test
  @DisabledOnOs(OS.WINDOWS)
  void writtenFileIsOwnerOnly() throws IOException {
    Path f = tmp.resolve("r.json");
    AtomicJson.writeBytes(f, new byte[] {'1'});
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
  }

  @Test
  void missingParentFailsWithoutLeavingATemp() {
    Path f = tmp.resolve("missing").resolve("r.json");
    assertThrows(IOException.class, () -> AtomicJson.writeBytes(f, new byte[] {1}));
  }

  @Test
  void failedRenameDeletesTheTempAndKeepsTheTarget() throws IOException {
    Path target = Files.createDirectory(tmp.resolve("adir"));
    Files.writeString(target.resolve("child"), "x");
    assertThrows(IOException.class, () -> AtomicJson.writeBytes(target, new byte[] {1}));
    assertEquals(List.of(), temps());
    assertTrue(Files.isDirectory(target));
  }

  @Test
  void sweepRemovesOnlyOldTempFiles() throws IOException {
    Path old = Files.writeString(tmp.resolve("old.tmp"), "");
    Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
    Path young = Files.writeString(tmp.resolve("young.tmp"), "");
    Path other = Files.writeString(tmp.resolve("keep.json"), "");
    Files.setLastModifiedTime(other, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
    assertEquals(List.of(old), AtomicJson.sweepStaleTemps(tmp, Duration.ofMinutes(1)));
    assertTrue(Files.exists(young));
    assertTrue(Files.exists(other));
  }

  @Test
  void sweepOfMissingDirIsEmpty() {
    assertEquals(List.of(), AtomicJson.sweepStaleTemps(tmp.resolve("none"), Duration.ZERO));
  }
}
