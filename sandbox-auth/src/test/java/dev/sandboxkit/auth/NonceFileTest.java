package dev.sandboxkit.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** nonce.bin: owner-only, replaced on write, consumed (read + deleted) by the guest. */
@Timeout(20)
class NonceFileTest {
  private static final Nonce NONCE = Nonce.fromBytes(NonceTest.sequential());
  private static final Duration SHORT = Duration.ofMillis(200);
  private static final Duration POLL = Duration.ofMillis(10);

  @TempDir Path dir;
  private final ExecutorService pool = Executors.newSingleThreadExecutor();

  @AfterEach
  void stopPool() throws InterruptedException {
    pool.shutdownNow();
    assertTrue(pool.awaitTermination(5, TimeUnit.SECONDS));
  }

  private Path file() {
    return dir.resolve(NonceFile.FILE_NAME);
  }

  @Test
  @EnabledOnOs({OS.LINUX, OS.MAC})
  void writtenFileIsPosix0600AndTheDirIsNotTouched() throws Exception {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-x---"));
    Set<PosixFilePermission> dirBefore = Files.getPosixFilePermissions(dir);
    Path written = NonceFile.write(dir, NONCE);
    assertEquals(file(), written);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(written)));
    assertEquals(dirBefore, Files.getPosixFilePermissions(dir));
    assertArrayEquals(NonceTest.sequential(), Files.readAllBytes(written));
    try (var listing = Files.list(dir)) {
      assertEquals(1, listing.count(), "no temporary file is left behind");
    }
  }

  @Test
  @EnabledOnOs({OS.LINUX, OS.MAC})
  void writeReplacesAnOldFileInsteadOfReusingIt() throws Exception {
    Files.write(file(), new byte[100]);
    Files.setPosixFilePermissions(file(), PosixFilePermissions.fromString("rw-rw-rw-"));
    Path oldFile = dir.resolve("old-link");
    Files.createLink(oldFile, file()); // a second name for the old file's inode
    NonceFile.write(dir, NONCE);
    assertArrayEquals(NonceTest.sequential(), Files.readAllBytes(file()));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file())));
    assertArrayEquals(new byte[100], Files.readAllBytes(oldFile), "the old file was not rewritten in place");
    assertEquals("rw-rw-rw-", PosixFilePermissions.toString(Files.getPosixFilePermissions(oldFile)));
  }

  @Test
  void writeDoesNotFollowASymlinkPlantedAtTheName(@TempDir Path elsewhere) throws Exception {
    Path target = elsewhere.resolve("victim");
    Files.write(target, new byte[] {1, 2, 3});
    Files.createSymbolicLink(file(), target);
    NonceFile.write(dir, NONCE);
    assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(target), "the link target is untouched");
    assertFalse(Files.isSymbolicLink(file()));
    assertTrue(Files.isRegularFile(file(), LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void writeIntoAMissingDirFailsNamingThePath() {
    Path missing = dir.resolve("no-such-dir");
    NonceFileException e = assertThrows(NonceFileException.class, () -> NonceFile.write(missing, NONCE));
    assertTrue(e.getMessage().contains(missing.resolve(NonceFile.FILE_NAME).toString()), e.getMessage());
  }

  @Test
  void consumeReadsAndDeletes() throws Exception {
    NonceFile.write(dir, NONCE);
    assertEquals(NONCE, NonceFile.consume(dir, SHORT, POLL));
    assertFalse(Files.exists(file()));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 31, 33})
  void consumeOfAWrongLengthFileFailsNamingPathAndLengthAndTheFileIsGone(int length) throws Exception {
    Files.write(file(), new byte[length]);
    NonceFileException e = assertThrows(NonceFileException.class, () -> NonceFile.consume(dir, SHORT, POLL));
    assertTrue(e.getMessage().contains(file().toString()), e.getMessage());
    assertTrue(e.getMessage().contains(length + " bytes"), e.getMessage());
    assertFalse(Files.exists(file()), "deleted before validation, so it is not retried forever");
  }

  @Test
  void consumeOfAMissingFileTimesOutNamingThePathAndTheWait() {
    NonceFileException e = assertThrows(NonceFileException.class, () -> NonceFile.consume(dir, SHORT, POLL));
    assertTrue(e.getMessage().contains(file().toString()), e.getMessage());
    assertTrue(e.getMessage().contains("200 ms"), e.getMessage());
  }

  @Test
  void aFileThatAppearsMidWaitIsPickedUp() throws Exception {
    Future<Nonce> consumed = pool.submit(() -> NonceFile.consume(dir, Duration.ofSeconds(10), POLL));
    Thread.sleep(50); // let the consumer poll a few times; the outcome does not depend on it
    assertFalse(consumed.isDone());
    NonceFile.write(dir, NONCE);
    assertEquals(NONCE, consumed.get(10, TimeUnit.SECONDS));
    assertFalse(Files.exists(file()));
  }

  @Test
  void aWriterRacingTheConsumerNeverExposesAPartialFile() throws Exception {
    for (int i = 0; i < 50; i++) {
      Future<Nonce> consumed = pool.submit(() -> NonceFile.consume(dir, Duration.ofSeconds(10), Duration.ofMillis(1)));
      NonceFile.write(dir, NONCE);
      assertEquals(NONCE, consumed.get(10, TimeUnit.SECONDS), "round " + i);
    }
  }

  @Test
  void anUnreadablePathFailsNamingIt() throws Exception {
    Files.createDirectory(file()); // a directory where the file should be
    NonceFileException e = assertThrows(NonceFileException.class, () -> NonceFile.consume(dir, SHORT, POLL));
    assertTrue(e.getMessage().contains(file().toString()), e.getMessage());
  }

  @Test
  void anInterruptedWaitFailsAndKeepsTheInterruptFlag() throws Exception {
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                NonceFile.consume(dir, Duration.ofSeconds(10), POLL);
                outcome.complete(null);
              } catch (Throwable e) {
                outcome.complete(Thread.currentThread().isInterrupted() ? e : new AssertionError("flag lost", e));
              }
            });
    t.start();
    t.interrupt();
    Throwable e = outcome.get(10, TimeUnit.SECONDS);
    assertTrue(e instanceof NonceFileException, String.valueOf(e));
    assertTrue(e.getMessage().contains("interrupted") && e.getMessage().contains(file().toString()), e.getMessage());
    t.join(5000);
  }

  @Test
  void defaultsAre15SecondsAnd50Milliseconds() throws Exception {
    assertEquals(Duration.ofSeconds(15), NonceFile.DEFAULT_WAIT);
    assertEquals(Duration.ofMillis(50), NonceFile.DEFAULT_POLL);
    assertEquals("nonce.bin", NonceFile.FILE_NAME);
    NonceFile.write(dir, NONCE);
    assertEquals(NONCE, NonceFile.consume(dir));
  }

  /** Issue 17 finding 11: a failed delete is not fatal (as mxc), but the nonce must not stay readable. */
  @Test
  void aNonceFileThatCannotBeDeletedIsEmptiedAndTheNonceStillUsed() throws Exception {
    NonceFile.write(dir, NONCE);
    Nonce got = NonceFile.consume(dir, SHORT, POLL, f -> {
      throw new java.nio.file.AccessDeniedException(f.toString(), null, "in use by another process");
    });
    assertEquals(NONCE, got);
    assertEquals(0, Files.size(dir.resolve(NonceFile.FILE_NAME)), "no job may read the nonce");
  }

  @Test
  void aNonceFileThatCanNeitherBeDeletedNorEmptiedRefusesTheLaunch() throws Exception {
    NonceFile.write(dir, NONCE);
    Path file = dir.resolve(NonceFile.FILE_NAME);
    NonceFileException e = assertThrows(NonceFileException.class, () -> NonceFile.consume(dir, SHORT, POLL, f -> {
      Files.delete(f); // gone, then: the empty-it step cannot open it (no CREATE) and fails
      Files.createDirectory(f);
      throw new java.nio.file.AccessDeniedException(f.toString());
    }));
    assertTrue(e.getMessage().contains("nor empty it"), e.getMessage());
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }
}
