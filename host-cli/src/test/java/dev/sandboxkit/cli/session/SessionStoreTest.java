package dev.sandboxkit.cli.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionStoreTest {
  @TempDir
  Path tmp;

  private SessionStore store() {
    return new SessionStore(tmp.resolve("sessions"));
  }

  private static SessionRecord rec(String id, Optional<String> name) {
    return new SessionRecord(id, name, "cli", "bubblewrap", SessionState.PROVISIONED, 1L,
        List.of("/work"), List.of(), List.of(), "block", 0);
  }

  /** Every path and its modification time under the root: "no file touched" means equal snapshots. */
  private List<String> snapshot() throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> s = Files.walk(tmp)) {
      for (Path p : s.sorted().toList()) {
        out.add(p + "@" + Files.getLastModifiedTime(p).toMillis());
      }
    }
    return out;
  }

  @Test
  void malformedIdsAreRefusedBeforeAnyPathIsBuiltAndTouchNoFile() throws Exception {
    SessionStore store = store();
    SessionRecord kept = store.create(id -> rec(id, Optional.of("kept")), "ab");
    Files.createDirectories(tmp.resolve("x")); // a target "../x" would reach
    List<String> before = snapshot();
    List<String> bad = List.of("../x", "..", "../" + kept.id(), "DEADBEEF", "DeadBeef", "dead\0beef",
        "dead beef", "dead/eef", "a".repeat(129), "0eadbee", "0eadbeef0", "", "wsb:deadbeef",
        "/etc/passwd", "Kept", "-x", "kept/../x");
    for (String s : bad) {
      SessionException e = assertThrows(SessionException.class, () -> store.resolve(s), s);
      assertEquals(SessionException.Kind.MALFORMED_ID, e.kind(), s);
      assertTrue(e.getMessage().startsWith("not a sandbox id or name"), e.getMessage());
      assertFalse(e.getMessage().contains("\0"), "control characters are escaped");
      assertThrows(IllegalArgumentException.class, () -> store.dir(s), s);
    }
    assertEquals(before, snapshot());
  }

  @Test
  void unknownIdsAndNamesAreNotProvisionedAndTouchNoFile() throws Exception {
    SessionStore store = store();
    store.secureRoot();
    List<String> before = snapshot();
    for (String s : List.of("deadbeef", "00000000", "nosuchname", "deadbee", "deadbeef0")) {
      SessionException e = assertThrows(SessionException.class, () -> store.resolve(s));
      assertEquals(SessionException.Kind.UNKNOWN, e.kind());
      assertEquals("no sandbox " + s, e.getMessage());
    }
    assertEquals(before, snapshot());
  }

  @Test
  void createMakesOwnerOnlyFolderRecordAndSecret() throws Exception {
    SessionStore store = store();
    SessionRecord r = store.create(id -> rec(id, Optional.of("build")), "00ff");
    assertTrue(SessionId.isToken(r.id()));
    Path dir = store.dir(r.id());
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.root())));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("record.json"))));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("secret"))));
    assertEquals("00ff", store.secret(r.id()));
    assertEquals(r, store.read(r.id()).orElseThrow());
    assertEquals(r.id(), store.resolve(r.id()));
    assertEquals(r.id(), store.resolve("build"));
    try (Stream<Path> s = Files.list(dir)) {
      assertTrue(s.noneMatch(p -> p.toString().endsWith(".tmp")), "no temp file left");
    }
  }

  @Test
  void aNameIsUniqueAndAFailedCreateLeavesNothing() throws Exception {
    SessionStore store = store();
    SessionRecord first = store.create(id -> rec(id, Optional.of("build")), "aa");
    SessionException e = assertThrows(SessionException.class,
        () -> store.create(id -> rec(id, Optional.of("build")), "bb"));
    assertEquals(SessionException.Kind.NAME_TAKEN, e.kind());
    assertEquals(1, store.list().size(), "the second session's folder is gone");
    store.delete(first.id(), first.name());
    SessionRecord again = store.create(id -> rec(id, Optional.of("build")), "cc");
    assertEquals(again.id(), store.resolve("build"), "the name is free once its session is removed");
  }

  @Test
  void aStaleNameClaimDoesNotBlockTheName() throws Exception {
    SessionStore store = store();
    store.secureRoot();
    Files.writeString(store.root().resolve("names").resolve("old"), "deadbeef");
    SessionRecord r = store.create(id -> rec(id, Optional.of("old")), "aa");
    assertEquals(r.id(), store.resolve("old"));
  }

  @Test
  void limitsRoundTripAndOldRecordsGetTheDefaults() throws Exception {
    dev.sandboxkit.lifecycle.ResourceLimits l = new dev.sandboxkit.lifecycle.ResourceLimits(256L << 20, 64, 1.5, 128L << 20);
    SessionRecord r = new SessionRecord("0a0b0c0d", Optional.empty(), "cli", "bubblewrap", SessionState.STARTED, 1L,
        List.of(), List.of(), List.of(), "block", 0, l);
    assertEquals(r, SessionRecord.parse(r.toJson()));
    assertTrue(r.policySummary().endsWith("net:block mem:256m pids:64 cpus:1.5"), r.policySummary());
    String old = new String(rec("0a0b0c0d", Optional.empty()).toJson(), java.nio.charset.StandardCharsets.UTF_8)
        .replaceAll("(?s),\\s*\"limits\"\\s*:\\s*\\{[^}]*}", "");
    assertFalse(old.contains("limits"), old);
    assertEquals(dev.sandboxkit.lifecycle.ResourceLimits.DEFAULT,
        SessionRecord.parse(old.getBytes(java.nio.charset.StandardCharsets.UTF_8)).limits());
    String bad = new String(r.toJson(), java.nio.charset.StandardCharsets.UTF_8).replace("\"pids\" : 64", "\"pids\" : \"x\"");
    assertThrows(IOException.class, () -> SessionRecord.parse(bad.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  @Test
  void invalidNamesAreRefused() {
    SessionStore store = store();
    for (String n : List.of("deadbeef", "Build", "9lives", "a/b", "..", "a".repeat(33), "")) {
      SessionException e = assertThrows(SessionException.class, () -> store.create(id -> rec(id, Optional.of(n)), "aa"), n);
      assertEquals(SessionException.Kind.MALFORMED_ID, e.kind());
    }
    assertEquals(0, store.list().size(), "nothing left behind");
  }

  @Test
  void aCorruptRecordIsReportedWithoutWedgingTheOthers() throws Exception {
    SessionStore store = store();
    SessionRecord good = store.create(id -> rec(id, Optional.empty()), "aa");
    SessionRecord bad = store.create(id -> rec(id, Optional.empty()), "bb");
    Files.writeString(store.dir(bad.id()).resolve("record.json"), "{\"schema_version\": 7}");
    SessionException e = assertThrows(SessionException.class, () -> store.read(bad.id()));
    assertEquals(SessionException.Kind.CORRUPT, e.kind());
    assertTrue(e.getMessage().contains("schema 7"), e.getMessage());
    List<SessionStore.Listed> all = store.list();
    assertEquals(2, all.size());
    SessionStore.Listed g = all.stream().filter(l -> l.id().equals(good.id())).findFirst().orElseThrow();
    SessionStore.Listed b = all.stream().filter(l -> l.id().equals(bad.id())).findFirst().orElseThrow();
    assertEquals(good, g.record().orElseThrow());
    assertTrue(b.record().isEmpty() && b.problem().orElseThrow().contains("schema 7"));
  }

  @Test
  void aRecordNamingAnotherSessionIsCorrupt() throws Exception {
    SessionStore store = store();
    SessionRecord a = store.create(id -> rec(id, Optional.empty()), "aa");
    SessionRecord b = store.create(id -> rec(id, Optional.empty()), "bb");
    Files.copy(store.dir(a.id()).resolve("record.json"), store.dir(b.id()).resolve("record.json"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertEquals(SessionException.Kind.CORRUPT,
        assertThrows(SessionException.class, () -> store.read(b.id())).kind());
  }

  @Test
  void aRootOwnedByAnotherUserOrNotADirectoryIsRefused() throws Exception {
    Path file = Files.writeString(tmp.resolve("file"), "x");
    SessionException e = assertThrows(SessionException.class, () -> new SessionStore(file).secureRoot());
    assertEquals(SessionException.Kind.IO, e.kind());
  }

  @Test
  void tokensAreEightLowercaseHexDigits() {
    for (int i = 0; i < 100; i++) {
      assertTrue(SessionId.isToken(SessionId.mint()));
    }
    assertEquals(Optional.of("deadbeef"), SessionId.fromMxc("wsb:deadbeef"));
    for (String s : List.of("iso:deadbeef", "wsbdeadbeef", "wsb:", "wsb:..", "wsb:../../etc/passwd",
        "wsb:DEADBEEF", "wsb:dead beef", "wsb:deadbee", "wsb:deadbeef0")) {
      assertEquals(Optional.empty(), SessionId.fromMxc(s), s);
    }
  }
}
