package dev.sandboxkit.guest.executor;

import java.io.BufferedInputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs the executor's one-time work ahead, on the agent's background start-up thread (while the
 * listener binds and the host connects), so the host's first {@code Exec} does not wait for it: the
 * first job's output buffers (two direct buffers, zeroed when allocated), the pipe reader's path
 * (on {@code /dev/null}), the reflective lookup behind the pumps' direct socket writes, the JDK's
 * process-tree walk the job's kill uses, and the few JDK classes the exec path loads that the agent's
 * class-data archive may lack. Starts no process, opens no socket, changes nothing a job can observe.
 */
public final class ExecutorWarmup {
  private static final System.Logger LOG = System.getLogger(ExecutorWarmup.class.getName());
  static final List<String> JDK_CLASSES = List.of(
      "jdk.internal.event.ProcessStartEvent", "java.lang.ProcessBuilder$NullInputStream",
      "java.lang.ProcessBuilder$NullOutputStream");

  private ExecutorWarmup() {}

  /** Never throws: a failure only costs the first job that time. */
  public static void run() {
    try {
      OutputPump.preallocate();
      OutputPump.DirectSink.lookUpAhead();
      pipeSource();
      processTree();
      Files.isDirectory(Path.of("/"));
      new CountDownLatch(1).await(1, TimeUnit.MICROSECONDS);
      new CompletableFuture<Integer>().handle((v, e) -> v);
      for (String name : JDK_CLASSES) {
        Class.forName(name, true, null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception | LinkageError e) {
      LOG.log(System.Logger.Level.DEBUG, "executor warm-up failed: {0}", e.toString());
    }
  }

  /** The pipe reader over a buffered file stream, as the JDK hands out a process's pipes. */
  private static void pipeSource() throws IOException {
    try (InputStream in = new BufferedInputStream(new FileInputStream("/dev/null"))) {
      PipeSource source = PipeSource.of(in);
      ByteBuffer b = ByteBuffer.allocate(16);
      source.read(b);
      source.fill(b);
    }
  }

  /** The descendant walk of the job's kill (read only: nothing is signalled). */
  private static void processTree() {
    ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).map(ProcessHandle::pid)
        .collect(Collectors.toList());
  }
}
