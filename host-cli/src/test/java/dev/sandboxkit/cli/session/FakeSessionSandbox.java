package dev.sandboxkit.cli.session;

import dev.sandboxkit.lifecycle.ExecutionResult;
import dev.sandboxkit.lifecycle.FailurePhase;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A sandbox whose "commands" are: {@code cat} (stdin to stdout, exit 0), {@code echo WORDS},
 * {@code exit N}, {@code block} (runs until cancelled: exit -1 CANCELLED-like). One at a time.
 */
final class FakeSessionSandbox implements SessionSandbox {
  final AtomicInteger started = new AtomicInteger();
  final AtomicInteger cancelled = new AtomicInteger();
  final CountDownLatch blockRunning = new CountDownLatch(1);
  volatile boolean open = true;
  volatile Optional<String> closeOutcome = Optional.empty();
  private volatile CompletableFuture<ExecutionResult> current;

  @Override
  public synchronized Running start(Wire.ExecRequest r, InputStream in, OutputStream out, OutputStream err) throws Busy {
    if (current != null && !current.isDone()) {
      throw new Busy();
    }
    started.incrementAndGet();
    CompletableFuture<ExecutionResult> f = new CompletableFuture<>();
    current = f;
    String cmd = r.argv().get(0);
    Thread t = new Thread(() -> {
      try {
        switch (cmd) {
          case "cat" -> {
            in.transferTo(out);
            f.complete(new ExecutionResult(0, null, null, "", "", FailurePhase.NONE));
          }
          case "echo" -> {
            out.write((String.join(" ", r.argv().subList(1, r.argv().size())) + "\n").getBytes(StandardCharsets.UTF_8));
            err.write("e\n".getBytes(StandardCharsets.UTF_8));
            f.complete(new ExecutionResult(0, null, null, "", "", FailurePhase.NONE));
          }
          case "exit" -> f.complete(new ExecutionResult(Integer.parseInt(r.argv().get(1)), null, null, "", "",
              Integer.parseInt(r.argv().get(1)) == 0 ? FailurePhase.NONE : FailurePhase.PROCESS_EXITED));
          case "block" -> blockRunning.countDown();
          default -> f.complete(new ExecutionResult(-1, null, null, "no such command", "", FailurePhase.POST_LAUNCH_FAILED));
        }
      } catch (IOException e) {
        f.complete(new ExecutionResult(-1, null, null, e.toString(), "", FailurePhase.POST_LAUNCH_FAILED));
      }
    });
    t.setDaemon(true);
    t.start();
    return new Running() {
      @Override
      public CompletableFuture<ExecutionResult> result() {
        return f;
      }

      @Override
      public void cancel() {
        cancelled.incrementAndGet();
        f.complete(new ExecutionResult(-1, null, null, "cancelled by the host", "", FailurePhase.TIMED_OUT));
      }
    };
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public Optional<String> close() {
    open = false;
    CompletableFuture<ExecutionResult> f = current;
    if (f != null) {
      f.complete(new ExecutionResult(-1, null, null, "the sandbox was closed", "", FailurePhase.POST_LAUNCH_FAILED));
    }
    return closeOutcome;
  }
}
