package dev.sandboxkit.protocol;

import static org.junit.jupiter.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Bounds for fuzz tries. jqwik properties ignore JUnit's {@code @Timeout}, so every try runs on a
 * daemon worker thread with a deadline ({@link #within}): a decoder that spins or blocks fails the
 * property with the worker's stack instead of hanging the build. {@link #allocatedBytes} measures
 * what a call allocated on the heap of the calling thread, so an input that makes a decoder
 * allocate far beyond its size (say 16 MiB for a 4-byte header) fails the property.
 *
 * <p>One copy for every module's fuzz tests: sandbox-auth's use it from this module's test jar
 * ({@code <type>test-jar</type>}, test scope).
 */
public final class FuzzBounds {
  /** Per-try deadline: generous for a loaded CI machine, tiny next to "hangs". */
  public static final Duration TRY_DEADLINE = Duration.ofSeconds(10);

  private static final ExecutorService WORKER =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "fuzz-try");
            t.setDaemon(true);
            return t;
          });
  private static volatile Thread workerThread;

  private FuzzBounds() {}

  /** Something a try does; may throw anything (the property decides what is allowed). */
  public interface Body<T> {
    T run() throws Throwable;
  }

  /** Runs {@code body} within {@link #TRY_DEADLINE}; rethrows what it threw. */
  public static <T> T within(Body<T> body) throws Throwable {
    Callable<T> call =
        () -> {
          workerThread = Thread.currentThread();
          try {
            return body.run();
          } catch (Exception | Error e) {
            throw e;
          } catch (Throwable t) {
            throw new ExecutionException(t);
          }
        };
    Future<T> f = WORKER.submit(call);
    try {
      return f.get(TRY_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      Thread w = workerThread;
      StringBuilder stack = new StringBuilder();
      if (w != null) {
        for (StackTraceElement el : w.getStackTrace()) {
          stack.append("\n  at ").append(el);
        }
      }
      f.cancel(true);
      return fail("try did not finish within " + TRY_DEADLINE + "; worker stack:" + stack);
    } catch (ExecutionException e) {
      throw e.getCause();
    }
  }

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /** Heap bytes allocated so far by the current thread (monotonic). */
  public static long allocatedBytes() {
    return THREADS.getCurrentThreadAllocatedBytes();
  }
}
