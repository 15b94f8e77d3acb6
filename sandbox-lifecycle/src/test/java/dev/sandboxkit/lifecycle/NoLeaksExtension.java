package dev.sandboxkit.lifecycle;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test when anything outlives it, like OkHttp's {@code OkHttpClientTestRule}: a new
 * descendant process of this JVM, a new non-daemon (or {@code sandboxkit*}-named) thread, a new run
 * dir under the state root, or an uncaught exception in any thread during the test.
 *
 * <p>Teardown is asynchronous at the edges (the JDK reaps killed children, pump threads finish), so
 * the check polls for up to {@link #DEFAULT_WAIT} before it reports.
 *
 * <pre>{@code
 * @ExtendWith(NoLeaksExtension.class)                 // processes, threads, uncaught exceptions
 * class A { ... }
 *
 * class B {
 *   @TempDir Path temp;
 *   @RegisterExtension
 *   final NoLeaksExtension noLeaks = NoLeaksExtension.withStateRoot(() -> temp.resolve("state"));
 * }
 * }</pre>
 */
public final class NoLeaksExtension implements BeforeEachCallback, AfterEachCallback {
  /** How long the after-test check waits for stragglers to go away. */
  public static final Duration DEFAULT_WAIT = Duration.ofSeconds(5);

  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(NoLeaksExtension.class);
  private static final Duration POLL = Duration.ofMillis(50);
  private static final Set<String> INFRASTRUCTURE_THREADS = Set.of("junit-jupiter-timeout-watcher");

  private final Supplier<Path> stateRoot;
  private final Duration wait;

  /** Checks processes, threads and uncaught exceptions (no run dirs: the default root is shared). */
  public NoLeaksExtension() {
    this(() -> null, DEFAULT_WAIT);
  }

  private NoLeaksExtension(Supplier<Path> stateRoot, Duration wait) {
    this.stateRoot = Objects.requireNonNull(stateRoot, "stateRoot");
    this.wait = Objects.requireNonNull(wait, "wait");
  }

  /** Also checks for run dirs left under {@code stateRoot} (read before and after each test; may give null). */
  public static NoLeaksExtension withStateRoot(Supplier<Path> stateRoot) {
    return new NoLeaksExtension(stateRoot, DEFAULT_WAIT);
  }

  /** The same checks with another bounded wait. */
  public NoLeaksExtension waiting(Duration wait) {
    return new NoLeaksExtension(stateRoot, wait);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    context.getStore(NS).put(Session.class, start());
  }

  @Override
  public void afterEach(ExtensionContext context) {
    Session s = context.getStore(NS).remove(Session.class, Session.class);
    if (s == null) {
      return;
    }
    List<String> leaks = s.finish();
    if (!leaks.isEmpty()) {
      fail("left behind by " + context.getDisplayName() + ":\n  " + String.join("\n  ", leaks));
    }
  }

  /** Records what exists now and starts catching uncaught exceptions; {@link Session#finish()} ends it. */
  public Session start() {
    return new Session(stateRoot, wait);
  }

  /** One test's baseline. Not thread-safe; finish it once, on the thread that started it. */
  public static final class Session {
    private final Supplier<Path> stateRoot;
    private final Duration wait;
    private final Set<ProcessHandle> processes;
    private final Set<Thread> threads;
    private final Set<Path> runDirs;
    private final Thread.UncaughtExceptionHandler previous;
    private final List<String> uncaught = Collections.synchronizedList(new ArrayList<>());
    private boolean finished;

    private Session(Supplier<Path> stateRoot, Duration wait) {
      this.stateRoot = stateRoot;
      this.wait = wait;
      this.processes = liveDescendants();
      this.threads = watchedThreads();
      this.runDirs = runDirs(stateRoot.get());
      this.previous = Thread.getDefaultUncaughtExceptionHandler();
      Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
        StringWriter w = new StringWriter();
        e.printStackTrace(new PrintWriter(w));
        uncaught.add("uncaught exception in thread \"" + t.getName() + "\": " + w.toString().strip());
        if (previous != null) {
          previous.uncaughtException(t, e);
        }
      });
    }

    /** What outlived the baseline so far, without waiting (the handler stays installed). */
    public List<String> leaksNow() {
      List<String> leaks = new ArrayList<>(uncaught);
      for (ProcessHandle p : liveDescendants()) {
        if (!processes.contains(p)) {
          leaks.add("process " + p.pid() + " " + p.info().commandLine().orElse(p.info().command().orElse("?")));
        }
      }
      for (Thread t : watchedThreads()) {
        if (!threads.contains(t)) {
          leaks.add("thread \"" + t.getName() + "\"" + (t.isDaemon() ? " (daemon)" : " (non-daemon)"));
        }
      }
      for (Path d : runDirs(stateRoot.get())) {
        if (!runDirs.contains(d)) {
          leaks.add("run dir " + d);
        }
      }
      return leaks;
    }

    /** Polls up to {@code wait} for {@link #leaksNow()} to become empty; returns what is left. */
    public List<String> awaitNoLeaks(Duration wait) {
      long deadline = System.nanoTime() + wait.toNanos();
      List<String> leaks = leaksNow();
      while (!leaks.isEmpty() && uncaught.isEmpty() && System.nanoTime() - deadline < 0) {
        try {
          Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
        leaks = leaksNow();
      }
      return leaks;
    }

    /** Waits (bounded), restores the previous uncaught-exception handler, returns the leaks (empty = clean). */
    public List<String> finish() {
      if (finished) {
        return List.of();
      }
      finished = true;
      try {
        return awaitNoLeaks(wait);
      } finally {
        Thread.setDefaultUncaughtExceptionHandler(previous);
      }
    }
  }

  static Set<ProcessHandle> liveDescendants() {
    try (Stream<ProcessHandle> s = ProcessHandle.current().descendants()) {
      return s.filter(ProcessHandle::isAlive).collect(Collectors.toCollection(LinkedHashSet::new));
    }
  }

  /**
   * Non-daemon threads, and our own ({@code sandboxkit*}) threads whether daemon or not; JUnit's own
   * lazily started, JVM-lifetime {@code junit-jupiter-timeout-watcher} (non-daemon) is not ours.
   */
  static Set<Thread> watchedThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && (!t.isDaemon() || t.getName().startsWith("sandboxkit")))
        .filter(t -> !INFRASTRUCTURE_THREADS.contains(t.getName()))
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  static Set<Path> runDirs(Path root) {
    if (root == null || !Files.isDirectory(root)) {
      return Set.of();
    }
    try (Stream<Path> s = Files.list(root)) {
      return s.collect(Collectors.toCollection(LinkedHashSet::new));
    } catch (IOException e) {
      return Set.of();
    }
  }
}
