package dev.sandboxkit.lifecycle;

import dev.sandboxkit.*;

import static dev.sandboxkit.lifecycle.SessionHarness.shell;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A live {@link Sandbox} on real bwrap with the real guest jar: many executions, busy, listener, close. */
@EnabledIfBubblewrapAvailable
@Timeout(120)
class SandboxEndToEndTest {
  @TempDir Path temp;
  Path state;

  /** After each test: no sandbox process, no thread, no run dir under {@link #state}, no uncaught exception. */
  @RegisterExtension
  final NoLeaksExtension noLeaks = NoLeaksExtension.withStateRoot(() -> state).waiting(Duration.ofSeconds(10));

  @BeforeEach
  void setUp() throws IOException {
    state = Files.createDirectories(temp.resolve("state"));
  }

  Sandbox start() throws SandboxException {
    return SessionHarness.builder(state).start();
  }

  @Test
  void manyExecutionsKeepTheirOwnOutputExitCodeAndTheSandboxState() throws Exception {
    try (Sandbox sandbox = start()) {
      assertTrue(sandbox.isOpen());
      assertEquals("bubblewrap", sandbox.driverName());
      assertTrue(sandbox.guestCapabilities().containsAll(List.of("env", "cancel")), sandbox.guestCapabilities().toString());
      for (int i = 0; i < 8; i++) {
        // stdout and stderr of each execution are its own; a file written by one is read by the next.
        ExecutionResult r = sandbox.exec(shell("cat /tmp/n 2>/dev/null || echo none; echo " + i + " > /tmp/n;"
            + " echo err" + i + " >&2; exit " + (i % 3)));
        assertEquals(i == 0 ? "none\n" : (i - 1) + "\n", r.stdoutText(), r.toString());
        assertEquals("err" + i + "\n", r.stderrText());
        assertEquals(i % 3, r.exitCode());
        assertEquals(i % 3 == 0 ? FailurePhase.NONE : FailurePhase.PROCESS_EXITED, r.failurePhase());
      }
    }
  }

  @Test
  void environmentIsPerExecutionAndNotInherited() throws Exception {
    try (Sandbox sandbox = start()) {
      ExecutionResult with = sandbox.exec(ExecutionRequest.builder("printf '%s|%s' \"$GREETING\" \"$OTHER\"")
          .env("GREETING", "hello world").env("OTHER", "x=y;$(no)").build());
      assertEquals("hello world|x=y;$(no)", with.stdoutText(), with.toString());
      ExecutionResult without = sandbox.exec(shell("echo ${GREETING-unset}; echo ${OTHER-unset}; test -n \"$PATH\""));
      assertEquals("unset\nunset\n", without.stdoutText());
      assertEquals(0, without.exitCode(), "the guest's base environment (PATH) is still there");
    }
  }

  @Test
  void workingDirectoryPerExecution() throws Exception {
    try (Sandbox sandbox = start()) {
      sandbox.exec(shell("mkdir -p /tmp/work/inner"));
      ExecutionResult r = sandbox.exec(ExecutionRequest.builder("pwd").workingDirectory("/tmp/work/inner").build());
      assertEquals("/tmp/work/inner\n", r.stdoutText(), r.toString());
      ExecutionResult other = sandbox.exec(ExecutionRequest.builder(Command.argv("pwd")).workingDirectory("/").build());
      assertEquals("/\n", other.stdoutText());
    }
  }

  @Test
  void stdinAsBytesAndAsStreamEachExecution() throws Exception {
    byte[] big = new byte[3 * 1024 * 1024 + 17];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) (i * 31 + 7);
    }
    try (Sandbox sandbox = start()) {
      ExecutionResult bytes = sandbox.exec(ExecutionRequest.builder("cat").stdin(big).build());
      assertArrayEquals(big, bytes.stdout());
      ExecutionResult stream = sandbox.exec(ExecutionRequest.builder("wc -c")
          .stdin(new ByteArrayInputStream(big)).build());
      assertEquals(Integer.toString(big.length), stream.stdoutText().strip());
      ExecutionResult none = sandbox.exec(shell("cat; echo end"));
      assertEquals("end\n", none.stdoutText(), "no stdin = end of file at once");
    }
  }

  @Test
  void captureLimitTruncatesAndSaysSo() throws Exception {
    try (Sandbox sandbox = start()) {
      ExecutionResult r = sandbox.exec(ExecutionRequest.builder("head -c 5000 /dev/zero; head -c 3000 /dev/zero >&2")
          .captureLimit(1000).build());
      assertEquals(1000, r.stdout().length);
      assertEquals(1000, r.stderr().length);
      assertEquals(0, r.exitCode());
      assertTrue(r.errorMessage().contains("stdout and stderr exceeded the 1000-byte capture cap"), r.errorMessage());
      // The default cap is 64 MiB.
      ExecutionResult d = sandbox.exec(shell("head -c $((64 * 1024 * 1024 + 10)) /dev/zero"));
      assertEquals(ExecutionRequest.DEFAULT_CAPTURE_LIMIT, d.stdout().length);
      assertTrue(d.errorMessage().contains("truncated"), d.errorMessage());
      ExecutionResult after = sandbox.exec(shell("echo fine"));
      assertEquals("fine\n", after.stdoutText());
      assertEquals("", after.errorMessage());
    }
  }

  @Test
  void streamsToTheCallersStreams() throws Exception {
    try (Sandbox sandbox = start()) {
      for (int i = 0; i < 3; i++) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ExecutionResult r = sandbox.exec(ExecutionRequest.builder("echo out" + i + "; echo err" + i + " >&2")
            .stdout(out).stderr(err).build());
        assertEquals("out" + i + "\n", out.toString(StandardCharsets.UTF_8));
        assertEquals("err" + i + "\n", err.toString(StandardCharsets.UTF_8));
        assertEquals(0, r.stdout().length);
        assertEquals(0, r.stderr().length);
      }
    }
  }

  @Test
  void aSecondExecutionWhileOneRunsFailsFastThenTheNextOneRuns() throws Exception {
    PipedOutputStream feed = new PipedOutputStream();
    PipedInputStream in = new PipedInputStream(feed);
    try (Sandbox sandbox = start()) {
      Execution first = sandbox.start(ExecutionRequest.builder("read line; echo got $line").stdin(in).build());
      SandboxBusyException busy = assertThrows(SandboxBusyException.class, () -> sandbox.exec(shell("echo no")));
      assertEquals(FailurePhase.REJECTED, busy.phase());
      assertTrue(busy.getMessage().contains(first.id()), busy.getMessage());
      assertThrows(SandboxBusyException.class, () -> sandbox.start(shell("echo no")));
      assertTrue(sandbox.isOpen());
      feed.write("first\n".getBytes(StandardCharsets.UTF_8));
      feed.close();
      ExecutionResult r = first.await();
      assertEquals("got first\n", r.stdoutText(), r.toString());
      ExecutionResult next = sandbox.exec(shell("echo second"));
      assertEquals("second\n", next.stdoutText(), "the busy attempts sent nothing and mixed nothing");
    }
  }

  @Test
  void listenerSeesEveryStepWithIdsAndAThrowingListenerBreaksNothing() throws Exception {
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    SandboxListener recorder = new SandboxListener() {
      @Override public void prepareStart(String s) { events.add("prepareStart " + s); }
      @Override public void prepareEnd(String s) { events.add("prepareEnd " + s); }
      @Override public void launchStart(String s) { events.add("launchStart " + s); }
      @Override public void handshakeEnd(String s) { events.add("handshakeEnd " + s); }
      @Override public void execStart(String s, String e) { events.add("execStart " + s + " " + e); throw new IllegalStateException("boom"); }
      @Override public void execEnd(String s, String e, ExecutionResult r) { events.add("execEnd " + s + " " + e + " " + r.exitCode()); throw new IllegalStateException("boom"); }
      @Override public void teardownStart(String s) { events.add("teardownStart " + s); throw new IllegalStateException("boom"); }
      @Override public void teardownEnd(String s) { events.add("teardownEnd " + s); }
    };
    List<String> execIds = new ArrayList<>();
    String id;
    try (Sandbox sandbox = SessionHarness.builder(state).listener(recorder).start()) {
      id = sandbox.id();
      for (int i = 0; i < 3; i++) {
        Execution e = sandbox.start(shell("exit " + i));
        execIds.add(e.id());
        assertEquals(i, e.await().exitCode());
      }
    }
    assertEquals(3, execIds.stream().distinct().count());
    // Every event carries the sandbox id, the first one (prepareStart, before the run dir exists) included.
    List<String> expected = new ArrayList<>(List.of("prepareStart " + id, "prepareEnd " + id, "launchStart " + id,
        "handshakeEnd " + id));
    for (int i = 0; i < 3; i++) {
      expected.add("execStart " + id + " " + execIds.get(i));
      expected.add("execEnd " + id + " " + execIds.get(i) + " " + i);
    }
    expected.add("teardownStart " + id);
    expected.add("teardownEnd " + id);
    assertEquals(expected, events);
  }

  @Test
  void closeDuringAnExecutionFailsItAndTearsEverythingDown() throws Exception {
    Sandbox sandbox = start();
    Path runDir = state.resolve(sandbox.id());
    assertTrue(Files.isDirectory(runDir));
    Execution e = sandbox.start(shell("echo started; sleep 1000"));
    assertTrue(SessionHarness.awaitProcess(SessionHarness.command("sleep 1000"), Duration.ofSeconds(20)).isPresent());
    sandbox.close();
    assertFalse(sandbox.isOpen());
    SandboxClosedException closed = assertThrows(SandboxClosedException.class, e::await);
    assertEquals(SandboxClosedException.Reason.CLOSED, closed.reason());
    assertFalse(Files.exists(runDir), "the marker goes once the sandbox is confirmed gone");
    assertEquals(List.of(), SessionHarness.descendants(c -> true), "no sandbox process after close()");
    SandboxClosedException later = assertThrows(SandboxClosedException.class, () -> sandbox.exec(shell("true")));
    assertEquals(SandboxClosedException.Reason.CLOSED, later.reason());
    assertEquals(FailurePhase.POST_LAUNCH_FAILED, later.phase());
    sandbox.close(); // idempotent
  }

  @Test
  void closeFromSeveralThreadsAtOnceTearsDownOnce() throws Exception {
    List<String> teardowns = Collections.synchronizedList(new ArrayList<>());
    Sandbox sandbox = SessionHarness.builder(state).listener(new SandboxListener() {
      @Override public void teardownStart(String s) { teardowns.add(s); }
    }).start();
    Path runDir = state.resolve(sandbox.id());
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> closers = new ArrayList<>();
    List<Boolean> goneWhenReturned = Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < 4; i++) {
      Thread t = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException ie) {
          return;
        }
        sandbox.close();
        goneWhenReturned.add(!Files.exists(runDir) && SessionHarness.descendants(c -> true).isEmpty());
      }, "closer-" + i);
      t.start();
      closers.add(t);
    }
    go.countDown();
    for (Thread t : closers) {
      t.join(TimeUnit.SECONDS.toMillis(60));
      assertFalse(t.isAlive());
    }
    assertEquals(List.of(true, true, true, true), goneWhenReturned, "every close() returns once the sandbox is gone");
    assertEquals(List.of(sandbox.id()), teardowns);
    assertNotEquals("", sandbox.id());
  }

  @Test
  void cacheDirAndClassDataArchivesReachTheDriver() throws Exception {
    Path off = temp.resolve("cache-off");
    try (Sandbox sandbox = SessionHarness.builder(state).cacheDir(off).classDataArchives(false).start()) {
      assertEquals("ok\n", sandbox.exec(shell("echo ok")).stdoutText());
    }
    assertFalse(Files.exists(off), "archives off: nothing written to the given cache folder");
    Path on = temp.resolve("cache-on");
    try (Sandbox sandbox = SessionHarness.builder(state).cacheDir(on).classDataArchives(true).start()) {
      assertEquals("ok\n", sandbox.exec(shell("echo ok")).stdoutText());
    }
    List<String> files;
    try (java.util.stream.Stream<Path> s = Files.list(on)) {
      files = s.map(p -> p.getFileName().toString()).sorted().collect(java.util.stream.Collectors.toList());
    }
    assertTrue(files.stream().anyMatch(f -> f.startsWith("guest-") && f.endsWith(".jsa")),
        "the guest's archive was trained into the given folder: " + files);
  }
}
