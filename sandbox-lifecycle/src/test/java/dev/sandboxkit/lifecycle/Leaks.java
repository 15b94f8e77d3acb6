package dev.sandboxkit.lifecycle;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** Helpers that check nothing outlives a run. */
final class Leaks {
  private Leaks() {}

  /** Fails when a child process of this JVM is still alive 10 s from now. */
  static void assertNoSandboxProcesses() throws InterruptedException {
    long end = System.nanoTime() + 10_000_000_000L;
    List<ProcessHandle> alive;
    do {
      alive = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).collect(Collectors.toList());
      if (alive.isEmpty()) {
        return;
      }
      Thread.sleep(50);
    } while (System.nanoTime() < end);
    fail("processes left behind: " + alive.stream()
        .map(p -> p.pid() + " " + p.info().command().orElse("?")).collect(Collectors.joining(", ")));
  }

  static int sandboxkitThreads() {
    return (int) Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && (t.getName().startsWith("sandboxkit") || !t.isDaemon()))
        .count();
  }

  static String threadNames() {
    return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).sorted()
        .collect(Collectors.joining(", "));
  }

  static String uidLine(long pid) {
    try {
      return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
          .filter(l -> l.startsWith("Uid:")).findFirst().orElse("Uid: ?");
    } catch (IOException e) {
      return "Uid: gone";
    }
  }

  static boolean hostIsRoot() {
    return uidLine(ProcessHandle.current().pid()).matches("Uid:\\s+0\\s.*");
  }

  /** When the host is root the workload runs as 65534: give it the folder. */
  static void grantSandboxUser(Path dir) throws IOException {
    if (hostIsRoot()) {
      Files.setAttribute(dir, "unix:uid", 65534);
      Files.setAttribute(dir, "unix:gid", 65534);
    }
  }
}
