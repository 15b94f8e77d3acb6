package dev.sandboxkit.lifecycle.hardening;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Shared checks for the hardening suite: leftovers, fds, threads, and child host JVMs. */
final class Hardening {
  private Hardening() {}

  static List<Path> entries(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().collect(Collectors.toList());
    }
  }

  static int openFds() {
    try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
      return (int) s.count();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static int liveThreads() {
    return (int) Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).count();
  }

  static String threadNames() {
    return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).sorted()
        .collect(Collectors.joining(", "));
  }

  /** Waits (bounded) until {@code p} and every process in {@code tree} are gone. */
  static void awaitGone(List<ProcessHandle> tree, long timeoutMillis) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    List<ProcessHandle> alive;
    do {
      alive = tree.stream().filter(ProcessHandle::isAlive).collect(Collectors.toList());
      if (alive.isEmpty()) {
        return;
      }
      Thread.sleep(50);
    } while (System.nanoTime() < end);
    fail("processes still alive after " + timeoutMillis + " ms: " + describe(alive));
  }

  /** Fails when a descendant of this JVM is still alive 10 s from now. */
  static void assertNoChildProcesses() throws InterruptedException {
    awaitGone(ProcessHandle.current().descendants().collect(Collectors.toList()), 10_000);
  }

  static String describe(List<ProcessHandle> ps) {
    return ps.stream().map(p -> p.pid() + " " + p.info().commandLine().orElse(p.info().command().orElse("?")))
        .collect(Collectors.joining("; "));
  }

  /** A host JVM running {@link ChildRunner}, with its stdout lines queued as they arrive. */
  static final class Child implements AutoCloseable {
    final Process process;
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    final List<String> all = new ArrayList<>();

    private Child(Process process) {
      this.process = process;
      Thread reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          for (String l; (l = r.readLine()) != null; ) {
            synchronized (all) {
              all.add(l);
            }
            lines.add(l);
          }
        } catch (IOException e) {
          // process gone
        }
        lines.add("EOF");
      }, "child-stdout");
      reader.setDaemon(true);
      reader.start();
    }

    static Child start(Path log, List<String> jvmOptions, String... args) throws IOException {
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.addAll(jvmOptions);
      cmd.add("-Dsandboxkit.guest.jar=" + System.getProperty("sandboxkit.guest.jar"));
      cmd.add("-cp");
      cmd.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))
          .replace(File.pathSeparator + File.pathSeparator, File.pathSeparator));
      cmd.add(ChildRunner.class.getName());
      cmd.addAll(List.of(args));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(false)
          .redirectError(ProcessBuilder.Redirect.to(log.toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
      return new Child(p);
    }

    /** Waits (bounded) for the line {@code expected}; fails with everything seen so far. */
    void await(String expected, long timeoutMillis) throws InterruptedException {
      long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
      while (true) {
        long left = end - System.nanoTime();
        String l = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
        if (l == null || l.equals("EOF")) {
          fail("child never printed '" + expected + "' within " + timeoutMillis + " ms; printed " + seen());
        }
        if (l.equals(expected)) {
          return;
        }
      }
    }

    String awaitResult(long timeoutMillis) throws InterruptedException {
      long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
      while (true) {
        long left = end - System.nanoTime();
        String l = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
        if (l == null || l.equals("EOF")) {
          return fail("child printed no RESULT within " + timeoutMillis + " ms; printed " + seen());
        }
        if (l.startsWith("RESULT ")) {
          return l;
        }
      }
    }

    List<String> seen() {
      synchronized (all) {
        return List.copyOf(all);
      }
    }

    /** SIGKILL (destroyForcibly is SIGKILL on Linux), then wait for it. */
    void kill() throws InterruptedException {
      process.destroyForcibly();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        fail("child host JVM " + process.pid() + " survived SIGKILL for 10 s");
      }
    }

    @Override
    public void close() throws InterruptedException {
      if (process.isAlive()) {
        kill();
      }
    }
  }
}
