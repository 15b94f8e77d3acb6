package dev.sandboxkit.lifecycle;

import dev.sandboxkit.*;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The one-shot runner on real bwrap with the real guest jar. */
@EnabledIfBubblewrapAvailable
@Timeout(120)
class BubblewrapEndToEndTest {
  @TempDir Path temp;
  Path state;
  OneShotRunner runner;

  /** After each test: no sandbox process, no thread, no run dir under {@link #state}, no uncaught exception. */
  @RegisterExtension
  final NoLeaksExtension noLeaks = NoLeaksExtension.withStateRoot(() -> state).waiting(Duration.ofSeconds(10));

  @BeforeEach
  void setUp() throws IOException {
    state = Files.createDirectories(temp.resolve("state"));
    runner = OneShotRunner.builder(SandboxDrivers.byName("bubblewrap")).stateRoot(state).build();
  }

  List<Path> runDirs() throws IOException {
    if (!Files.isDirectory(state)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(state)) {
      return s.collect(Collectors.toList());
    }
  }

  ExecutionResult run(String command) {
    return runner.run(ExecutionRequest.builder(command).build());
  }

  @Test
  void echo() {
    ExecutionResult r = run("echo hello");
    assertEquals(FailurePhase.NONE, r.failurePhase(), r.toString() + " " + r.extendedError());
    assertEquals(0, r.exitCode());
    assertEquals("hello\n", r.stdoutText());
    assertTrue(r.succeeded());
  }

  @Test
  void exitCode42() {
    ExecutionResult r = run("exit 42");
    assertEquals(42, r.exitCode());
    assertEquals(FailurePhase.PROCESS_EXITED, r.failurePhase());
    assertEquals("the command exited with code 42", r.errorMessage());
  }

  @Test
  void stderr() {
    ExecutionResult r = run("echo oops >&2");
    assertEquals(0, r.exitCode());
    assertEquals("oops\n", r.stderrText());
    assertEquals("", r.stdoutText());
  }

  @Test
  void stdinThroughCat() {
    byte[] input = "line one\nline two\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
    ExecutionResult r = runner.run(ExecutionRequest.builder("cat").stdin(input).build());
    assertEquals(0, r.exitCode(), r.errorMessage());
    assertEquals(new String(input, StandardCharsets.UTF_8), r.stdoutText());
  }

  @Test
  void streamingToCallerStreams() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ExecutionResult r = runner.run(
        ExecutionRequest.builder("echo out; echo err >&2").stdout(out).stderr(err).build());
    assertEquals(0, r.exitCode());
    assertEquals("out\n", out.toString(StandardCharsets.UTF_8));
    assertEquals("err\n", err.toString(StandardCharsets.UTF_8));
    assertEquals(0, r.stdout().length);
  }

  @Test
  void timeoutKillsTheWholeTree() {
    ExecutionResult r = runner.run(ExecutionRequest.builder("sleep 1000 & sleep 1000; wait")
        .timeout(Duration.ofMillis(1500)).build());
    assertEquals(-1, r.exitCode());
    assertEquals(FailurePhase.TIMED_OUT, r.failurePhase());
    assertEquals("process timed out after 1500 ms", r.errorMessage());
    // NoLeaksExtension: no sandbox process (bwrap, agent, sleeps) survives.
  }

  /**
   * The guest's JNA loads the native library it unpacks itself (no library comes from the host any
   * more): the agent becomes the child subreaper through JNA, so an orphaned grandchild is the
   * agent's child, not bwrap's (a JNA that failed to load would leave it to bwrap, pid 1).
   */
  @Test
  void theGuestLoadsJnaFromItsOwnUnpackedLibrary() {
    ExecutionResult r = run("sh -c 'sleep 30 &'\n"
        + "for p in /proc/[0-9]*; do\n"
        + "  [ \"$(sed -n 's/^Name:[[:space:]]*//p' $p/status 2>/dev/null)\" = sleep ] || continue\n"
        + "  pp=$(sed -n 's/^PPid:[[:space:]]*//p' $p/status)\n"
        + "  echo \"$pp $(sed -n 's/^Name:[[:space:]]*//p' /proc/$pp/status)\"\n"
        + "done");
    assertEquals(0, r.exitCode(), r + " " + r.extendedError());
    String out = r.stdoutText();
    assertTrue(out.matches("[0-9]+ java\n"), "the orphan's parent: " + out);
    assertFalse(out.startsWith("1 "), out);
    // NoLeaksExtension: the orphaned sleep dies with the job.
  }

  @Test
  void workloadIsNotRootOnTheHost() throws Exception {
    // The command reports its uid; the host reads /proc/<pid>/status of every sandbox process.
    AtomicInteger checked = new AtomicInteger();
    Thread watcher = new Thread(() -> {
      long end = System.nanoTime() + 20_000_000_000L;
      while (System.nanoTime() < end && checked.get() == 0) {
        ProcessHandle.current().descendants()
            .filter(p -> p.info().command().map(c -> c.endsWith("/sleep")).orElse(false))
            .forEach(p -> {
              String uid = SandboxUser.uidLine(p.pid());
              assertFalse(uid.matches("Uid:\\s+0\\s.*"), "workload runs as host root: " + uid);
              checked.incrementAndGet();
            });
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    watcher.start();
    ExecutionResult r = run("id -u; sleep 3");
    watcher.join();
    assertEquals(0, r.exitCode(), r.errorMessage());
    assertTrue(checked.get() > 0, "never saw the workload's sleep process");
    String uid = r.stdoutText().strip();
    if (SandboxUser.hostIsRoot()) {
      long n = Long.parseLong(uid); // a uid of the sandbox's own, from the reserved range
      assertTrue(n >= 1_900_000_000L && n < 1_900_000_000L + 65_536, uid);
    } else {
      assertFalse(uid.equals("0"));
    }
  }

  private OneShotRunner runnerWith(SandboxPolicy policy) {
    return OneShotRunner.builder(SandboxDrivers.byName("bubblewrap")).stateRoot(state).policy(policy).build();
  }

  @Test
  void readWriteFolderWriteIsVisibleOnTheHost() throws Exception {
    Path rw = Files.createDirectories(temp.resolve("rw"));
    SandboxUser.grantSandboxUser(rw);
    ExecutionResult r = runnerWith(SandboxPolicy.builder().readWrite(rw).build())
        .run(ExecutionRequest.builder("echo written > " + rw + "/out.txt").build());
    assertEquals(0, r.exitCode(), r.errorMessage() + " / " + r.stderrText());
    assertEquals("written\n", Files.readString(rw.resolve("out.txt")));
  }

  @Test
  void readOnlyFolderRefusesWrites() throws Exception {
    Path ro = Files.createDirectories(temp.resolve("ro"));
    Files.writeString(ro.resolve("in.txt"), "visible");
    Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(ro.resolve("in.txt"), PosixFilePermissions.fromString("rw-r--r--"));
    ExecutionResult r = runnerWith(SandboxPolicy.builder().readOnly(ro).build())
        .run(ExecutionRequest.builder("cat " + ro + "/in.txt; echo x > " + ro + "/new.txt").build());
    assertEquals("visible", r.stdoutText());
    assertTrue(r.exitCode() != 0, "the write should fail");
    assertFalse(Files.exists(ro.resolve("new.txt")));
  }

  @Test
  void hostFileOutsideMappedFoldersIsInvisible() throws Exception {
    Path secret = Files.writeString(temp.resolve("secret.txt"), "top secret");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--"));
    ExecutionResult r = run("cat " + secret + " || echo missing; ls /home /root 2>&1 | head -2");
    assertFalse(r.stdoutText().contains("top secret"));
    assertTrue(r.stdoutText().contains("missing"), r.stdoutText());
  }

  @Test
  void blockCannotReachHostLoopbackButAllowCan() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      server.setSoTimeout(100);
      Thread acceptor = new Thread(() -> {
        while (!server.isClosed()) {
          try (Socket s = server.accept()) {
            s.getOutputStream().write("hi\n".getBytes(StandardCharsets.UTF_8));
          } catch (IOException e) {
            // timeout or closed
          }
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      String probe = "bash -c 'exec 3<>/dev/tcp/127.0.0.1/" + server.getLocalPort()
          + " && echo connected || echo refused'";
      ExecutionResult blocked = run(probe);
      assertTrue(blocked.stdoutText().contains("refused"), blocked.stdoutText() + blocked.stderrText());
      ExecutionResult allowed = runnerWith(SandboxPolicy.builder().network(NetworkAccess.ALLOW).build())
          .run(ExecutionRequest.builder(probe).build());
      assertEquals("connected\n", allowed.stdoutText(), allowed.stderrText() + allowed.errorMessage());
      server.close();
      acceptor.join(2000);
    }
  }

  @Test
  void deepStateRootOverTheSocketPathLimitStillConnects() throws IOException {
    state = Files.createDirectories(temp.resolve("state-" + "d".repeat(60)).resolve("e".repeat(40)));
    ExecutionResult r = OneShotRunner.builder(SandboxDrivers.byName("bubblewrap")).stateRoot(state).build()
        .run(ExecutionRequest.builder("echo deep").build());
    assertEquals(FailurePhase.NONE, r.failurePhase(), r.errorMessage() + " " + r.extendedError());
    assertEquals("deep\n", r.stdoutText());
  }

  @Test
  void twentyRunsInARowLeaveNothingBehind() throws Exception {
    NoLeaksExtension.Session session = NoLeaksExtension.withStateRoot(() -> state).start();
    try {
      for (int i = 0; i < 20; i++) {
        ExecutionResult r = run("echo " + i);
        assertEquals(i + "\n", r.stdoutText(), r.errorMessage());
        assertEquals(List.of(), session.awaitNoLeaks(Duration.ofSeconds(10)), "after run " + i);
        assertEquals(List.of(), runDirs());
      }
    } finally {
      assertEquals(List.of(), session.finish(), "processes, threads, run dirs left behind");
    }
  }
}
