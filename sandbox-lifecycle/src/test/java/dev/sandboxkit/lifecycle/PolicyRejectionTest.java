package dev.sandboxkit.lifecycle;

import dev.sandboxkit.*;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every policy rule fails REJECTED before any launch and leaves no run dir; and the event order. */
@EnabledIfBubblewrapAvailable
@Timeout(60)
class PolicyRejectionTest {
  @TempDir static Path temp;
  Path state;

  /** After each test: no sandbox process, no thread, no run dir under {@link #state}, no uncaught exception. */
  @RegisterExtension
  final NoLeaksExtension noLeaks = NoLeaksExtension.withStateRoot(() -> state).waiting(Duration.ofSeconds(10));
  final List<String> events = new ArrayList<>();
  /** The sandbox id of each event, in order. */
  final List<String> ids = new ArrayList<>();
  final SandboxListener recorder = new SandboxListener() {
    @Override public void prepareStart(String sandboxId) { events.add("prepareStart"); ids.add(sandboxId); }
    @Override public void prepareEnd(String sandboxId) { events.add("prepareEnd"); }
    @Override public void prepareFailed(String sandboxId, SandboxException e) {
      events.add("prepareFailed:" + e.phase());
      ids.add(sandboxId);
    }
    @Override public void launchStart(String sandboxId) { events.add("launchStart"); }
    @Override public void launchEnd(String sandboxId) { events.add("launchEnd"); }
    @Override public void rendezvousStart(String sandboxId) { events.add("rendezvousStart"); }
    @Override public void rendezvousEnd(String sandboxId) { events.add("rendezvousEnd"); }
    @Override public void handshakeStart(String sandboxId) { events.add("handshakeStart"); }
    @Override public void handshakeEnd(String sandboxId) { events.add("handshakeEnd"); }
    @Override public void execStart(String sandboxId, String executionId) { events.add("execStart"); }
    @Override public void execEnd(String sandboxId, String executionId, ExecutionResult r) { events.add("execEnd:" + r.exitCode()); }
    @Override public void teardownStart(String sandboxId) { events.add("teardownStart"); }
    @Override public void teardownEnd(String sandboxId) { events.add("teardownEnd"); }
  };

  @BeforeEach
  void state() throws Exception {
    state = temp.resolve("state-" + System.nanoTime());
  }

  static Stream<Arguments> rejected() throws Exception {
    Path other = Files.createDirectories(temp.resolve("share-other"));
    return Stream.<Function<SandboxPolicy.Builder, SandboxPolicy.Builder>>of(
        b -> b.readOnly(temp.resolve("missing")),
        b -> b.readOnly(Path.of("relative/dir")),
        b -> b.readOnly(other).deny(Path.of("relative")),
        b -> b.allowedHosts(List.of("example.com")),
        b -> b.blockedHosts(List.of("example.com")),
        b -> b.proxy("http://proxy:8080"))
        .map(f -> Arguments.of(f.apply(SandboxPolicy.builder()).build()));
  }

  /**
   * Policies the planner once refused and now plans on bubblewrap (most specific path wins, denied
   * beats read-only beats read-write, file mappings); {@code MappingEndToEndTest} checks what each
   * one shows the workload, this checks they are not refused.
   */
  static Stream<Arguments> plannedOnBubblewrap() throws Exception {
    Path dir = Files.createDirectories(temp.resolve("share"));
    Path nested = Files.createDirectories(dir.resolve("inner"));
    Path file = Files.writeString(temp.resolve("file.txt"), "x");
    for (Path p : List.of(dir, nested)) {
      Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    return Stream.<Function<SandboxPolicy.Builder, SandboxPolicy.Builder>>of(
        b -> b.readOnly(file),
        b -> b.readOnly(dir).readWrite(dir),
        b -> b.readOnly(dir).readOnly(nested),
        b -> b.readOnly(dir).deny(dir),
        b -> b.readOnly(dir).deny(nested),
        b -> b.readOnly(nested).deny(dir))
        .map(f -> Arguments.of(f.apply(SandboxPolicy.builder()).build()));
  }

  @ParameterizedTest
  @MethodSource("plannedOnBubblewrap")
  void plannedAndRun(SandboxPolicy policy) {
    ExecutionResult r = OneShotRunner.builder(SandboxDrivers.byName("bubblewrap")).stateRoot(state)
        .policy(policy).build().run(ExecutionRequest.builder("true").build());
    assertEquals(0, r.exitCode(), r.failurePhase() + ": " + r.errorMessage());
  }

  @ParameterizedTest
  @MethodSource("rejected")
  void rejectedBeforeLaunchWithNoRunDir(SandboxPolicy policy) {
    ExecutionResult r = OneShotRunner.builder(SandboxDrivers.byName("bubblewrap")).stateRoot(state)
        .policy(policy).listener(recorder).build().run(ExecutionRequest.builder("echo never").build());
    assertEquals(FailurePhase.REJECTED, r.failurePhase(), r.errorMessage());
    assertEquals(-1, r.exitCode());
    assertFalse(r.errorMessage().isEmpty());
    assertFalse(r.errorMessage().contains("\n"), "one line");
    assertEquals(List.of("prepareStart", "prepareFailed:REJECTED"), events);
    assertEquals(2, ids.size());
    assertEquals(ids.get(0), java.util.UUID.fromString(ids.get(0)).toString(), "a sandbox id from the first event on");
    assertEquals(ids.get(0), ids.get(1), "one id for the whole start");
    assertFalse(Files.exists(state), "nothing may be created for a rejected request");
  }

  @Test
  void deniedElsewhereIsAccepted() throws Exception {
    Path share = Files.createDirectories(temp.resolve("accepted-share"));
    Files.setPosixFilePermissions(share, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    ExecutionResult r = OneShotRunner.builder(SandboxDrivers.byName("bubblewrap")).stateRoot(state)
        .policy(SandboxPolicy.builder().readOnly(share).deny(temp.resolve("elsewhere")).build())
        .listener(recorder).build().run(ExecutionRequest.builder("echo ok").build());
    assertEquals(0, r.exitCode(), r.errorMessage() + " " + r.extendedError());
    assertEquals(List.of("prepareStart", "prepareEnd", "launchStart", "launchEnd", "rendezvousStart",
        "rendezvousEnd", "handshakeStart", "handshakeEnd", "execStart", "execEnd:0", "teardownStart",
        "teardownEnd"), events);
  }

  @Test
  void tooLongCommandLineIsRejected() {
    ExecutionResult r = OneShotRunner.builder(SandboxDrivers.byName("bubblewrap")).stateRoot(state).build()
        .run(ExecutionRequest.builder("x".repeat(16 * 1024 * 1024)).build());
    assertEquals(FailurePhase.REJECTED, r.failurePhase());
    assertTrue(r.errorMessage().contains("too long"), r.errorMessage());
    assertFalse(Files.exists(state));
  }
}
