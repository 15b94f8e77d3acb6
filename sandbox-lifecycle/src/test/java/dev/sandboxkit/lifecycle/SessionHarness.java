package dev.sandboxkit.lifecycle;

import dev.sandboxkit.*;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Helpers for the live-sandbox end-to-end tests (real bwrap, the real guest jar). */
final class SessionHarness {
  private SessionHarness() {}

  /** A bubblewrap sandbox builder with its state under {@code state}. */
  static Sandbox.Builder builder(Path state) {
    return Sandbox.builder(SandboxDrivers.byName("bubblewrap")).stateRoot(state);
  }

  static ExecutionRequest shell(String commandLine) {
    return ExecutionRequest.builder(commandLine).build();
  }

  /** Run dirs under {@code state} (empty when the folder does not exist). */
  static List<Path> runDirs(Path state) throws IOException {
    if (!Files.isDirectory(state)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(state)) {
      return s.collect(Collectors.toList());
    }
  }

  /** Live descendants of this JVM whose command line matches. */
  static List<ProcessHandle> descendants(Predicate<String> commandLine) {
    try (Stream<ProcessHandle> s = ProcessHandle.current().descendants()) {
      return s.filter(ProcessHandle::isAlive)
          .filter(p -> commandLine.test(p.info().commandLine().orElse(p.info().command().orElse(""))))
          .collect(Collectors.toList());
    }
  }

  /** The guest agent's JVM of the sandbox whose run dir is {@code runId} (exactly one). */
  static ProcessHandle guestAgent(String runId) {
    List<ProcessHandle> agents = descendants(c -> c.contains("sandboxkit-guest") && c.contains("--rendezvous")
        && !c.contains("bwrap"));
    if (agents.size() != 1) {
      fail("expected one guest agent among this JVM's descendants, found " + describe(agents));
    }
    return agents.get(0);
  }

  /** The outermost sandbox process (bwrap, or the launch wrapper around it) of this JVM. */
  static ProcessHandle sandboxRoot() {
    List<ProcessHandle> children;
    try (Stream<ProcessHandle> s = ProcessHandle.current().children()) {
      children = s.filter(ProcessHandle::isAlive).collect(Collectors.toList());
    }
    if (children.size() != 1) {
      fail("expected one sandbox process as this JVM's child, found " + describe(children));
    }
    return children.get(0);
  }

  /** Matches the command line of exactly {@code command} (any directory before its program). */
  static Predicate<String> command(String command) {
    return c -> c.equals(command) || c.endsWith("/" + command) && !c.contains(" -c ");
  }

  /** Waits (bounded) until {@code p} is gone. */
  static boolean awaitGone(ProcessHandle p, Duration within) throws InterruptedException {
    long end = System.nanoTime() + within.toNanos();
    while (p.isAlive() && System.nanoTime() - end < 0) {
      Thread.sleep(20);
    }
    return !p.isAlive();
  }

  /** Waits (bounded) until a process matching {@code commandLine} runs; the first one found. */
  static Optional<ProcessHandle> awaitProcess(Predicate<String> commandLine, Duration within)
      throws InterruptedException {
    long end = System.nanoTime() + within.toNanos();
    while (System.nanoTime() - end < 0) {
      List<ProcessHandle> found = descendants(commandLine);
      if (!found.isEmpty()) {
        return Optional.of(found.get(0));
      }
      Thread.sleep(20);
    }
    return Optional.empty();
  }

  static String describe(List<ProcessHandle> ps) {
    return ps.stream().map(p -> p.pid() + " " + p.info().commandLine().orElse(p.info().command().orElse("?")))
        .collect(Collectors.joining("; ", "[", "]"));
  }

  /** Signals {@code pid} with {@code kill -SIG} (ProcessHandle has no SIGSTOP/SIGCONT). */
  static void signal(long pid, String sig) throws IOException, InterruptedException {
    Process k = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).redirectErrorStream(true).start();
    String out = new String(k.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (k.waitFor() != 0) {
      fail("kill -" + sig + " " + pid + " failed: " + out);
    }
  }
}
