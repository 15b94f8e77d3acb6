package dev.sandboxkit.lifecycle.containment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sandboxkit.lifecycle.EnabledIfBubblewrapAvailable;
import dev.sandboxkit.lifecycle.ExecutionRequest;
import dev.sandboxkit.lifecycle.ExecutionResult;
import dev.sandboxkit.lifecycle.FailurePhase;
import dev.sandboxkit.lifecycle.NoLeaksExtension;
import dev.sandboxkit.OneShotRunner;
import dev.sandboxkit.lifecycle.ResourceLimits;
import dev.sandboxkit.SandboxDrivers;
import dev.sandboxkit.lifecycle.SandboxPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 item 4 in a real sandbox: /tmp fills at its size, a fork bomb with no ulimit of its own
 * stops at the pids limit, a memory hog is killed at the memory limit; the run cgroups are gone
 * afterwards. The cgroup tests need a host that can enforce the limits (root here); elsewhere the
 * run must be refused before launch, which {@link #unenforceableLimitsAreRefusedBeforeLaunch} checks.
 */
@EnabledIfBubblewrapAvailable
@Timeout(180)
class LimitsInSandboxTest {
  @TempDir Path temp;
  Path state;

  @RegisterExtension
  final NoLeaksExtension noLeaks = NoLeaksExtension.withStateRoot(() -> state).waiting(Duration.ofSeconds(10));

  @BeforeEach
  void setUp() throws IOException {
    state = Files.createDirectories(temp.resolve("state"));
  }

  java.util.Set<Path> before;

  @BeforeEach
  void recordCgroups() throws IOException {
    before = new java.util.HashSet<>(runCgroups());
  }

  /** Every run cgroup made during the test is removed at its teardown. */
  @AfterEach
  void noRunCgroupLeft() throws IOException {
    List<Path> left = runCgroups().stream().filter(p -> !before.contains(p)).toList();
    assertEquals(List.of(), left, "run cgroups left behind");
  }

  /** The sandboxkit-* folders next to this JVM's own cgroups. */
  static List<Path> runCgroups() throws IOException {
    List<Path> found = new java.util.ArrayList<>();
    for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
      String[] f = line.split(":", 3);
      if (f.length < 3) {
        continue;
      }
      for (String c : f[1].isEmpty() ? new String[] {""} : f[1].split(",")) {
        Path dir = Path.of("/sys/fs/cgroup", c, f[2].substring(1));
        if (Files.isDirectory(dir)) {
          try (Stream<Path> s = Files.list(dir)) {
            s.filter(x -> x.getFileName().toString().startsWith("sandboxkit-")).forEach(found::add);
          }
        }
      }
    }
    return found;
  }

  ExecutionResult run(SandboxPolicy policy, String script, Duration timeout) {
    OneShotRunner runner = OneShotRunner.builder(SandboxDrivers.byName("bubblewrap")).stateRoot(state)
        .policy(policy).build();
    return runner.run(ExecutionRequest.builder(script).timeout(timeout).build());
  }

  static boolean canEnforce(ResourceLimits l) {
    ExecutionResult r = OneShotRunner.builder(SandboxDrivers.byName("bubblewrap"))
        .policy(SandboxPolicy.builder().limits(l).build()).build()
        .run(ExecutionRequest.builder("true").build());
    return r.failurePhase() != FailurePhase.REJECTED;
  }

  @Test
  void tmpFillsAtItsSizeWithEnospc() {
    ExecutionResult r = run(SandboxPolicy.builder().tmpSize(8L << 20).build(),
        "dd if=/dev/zero of=/tmp/fill bs=1M count=64 2>&1; echo rc=$?; du -m /tmp/fill | cut -f1",
        Duration.ofSeconds(60));
    assertEquals(0, r.exitCode(), r + " " + r.extendedError());
    String out = r.stdoutText();
    assertTrue(out.contains("No space left on device"), out);
    assertTrue(out.contains("rc=1"), out);
    assertTrue(Integer.parseInt(out.strip().substring(out.strip().lastIndexOf('\n') + 1)) <= 8, out);
  }

  @Test
  void theDefaultTmpIsBounded() {
    ExecutionResult r = run(SandboxPolicy.DEFAULT, "df -k /tmp | tail -1", Duration.ofSeconds(60));
    assertEquals(0, r.exitCode(), r.errorMessage());
    String[] f = r.stdoutText().trim().split("\\s+");
    assertEquals(ResourceLimits.DEFAULT_TMP_BYTES / 1024, Long.parseLong(f[1]), r.stdoutText());
  }

  /** No ulimit in the bomb: only the sandbox's pids limit holds it; the host can still fork. */
  @Test
  void forkBombIsContainedAtThePidsLimit() throws Exception {
    SandboxPolicy p = SandboxPolicy.builder().pidsLimit(96).build();
    assumeTrue(canEnforce(p.limits()), "this host cannot enforce a pids limit");
    ExecutionResult r = run(p, "b() { b | b & }; b; sleep 3; echo still-here", Duration.ofSeconds(20));
    // the bomb saturates at 96 tasks: forks fail inside, the sandbox itself carries on and is torn down
    assertTrue(r.failurePhase() == FailurePhase.NONE || r.failurePhase() == FailurePhase.TIMED_OUT
        || r.failurePhase() == FailurePhase.PROCESS_EXITED, r + " " + r.extendedError());
    assertTrue(r.stderrText().toLowerCase(java.util.Locale.ROOT).contains("fork"), r.stderrText());
    Process host = new ProcessBuilder("true").start();
    assertEquals(0, host.waitFor(), "the host can still fork");
  }

  /** A memory hog is killed at the limit: exit 137 (SIGKILL), PROCESS_EXITED. */
  @Test
  void memoryHogIsKilledAtTheLimit() {
    SandboxPolicy p = SandboxPolicy.builder().memoryLimit(256L << 20).build();
    assumeTrue(canEnforce(p.limits()), "this host cannot enforce a memory limit");
    ExecutionResult r = run(p, "exec python3 -c 'a = []\nwhile True: a.append(bytearray(8 << 20))'",
        Duration.ofSeconds(60));
    assertEquals(FailurePhase.PROCESS_EXITED, r.failurePhase(), r + " " + r.extendedError());
    assertEquals(ResourceLimits.OOM_EXIT_CODE, r.exitCode(), r.errorMessage());
    assertTrue(r.errorMessage().startsWith("the command was killed: the sandbox's memory limit of 256 MiB was"
        + " reached"), r.errorMessage());
    assertTrue(r.extendedError().contains("--memory"), r.extendedError());
  }

  /** Only what the limit killed is blamed on it: a command that kills itself says nothing of memory. */
  @Test
  void aSigkillThatIsNotTheLimitsIsNotBlamedOnIt() {
    SandboxPolicy p = SandboxPolicy.builder().memoryLimit(256L << 20).build();
    assumeTrue(canEnforce(p.limits()), "this host cannot enforce a memory limit");
    ExecutionResult r = run(p, "kill -9 $$", Duration.ofSeconds(60));
    assertEquals(ResourceLimits.OOM_EXIT_CODE, r.exitCode(), r.errorMessage());
    assertFalse(r.errorMessage().contains("memory"), r.errorMessage());
  }
}
