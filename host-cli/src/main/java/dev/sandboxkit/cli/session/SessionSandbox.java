package dev.sandboxkit.cli.session;

import dev.sandboxkit.lifecycle.ExecutionResult;
import dev.sandboxkit.lifecycle.SandboxException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;

/**
 * What the daemon needs of a live sandbox: the library's {@code Sandbox} ({@link LibrarySandboxes}),
 * or a fake in the daemon's unit tests.
 */
public interface SessionSandbox {

  /**
   * Starts one execution without blocking.
   *
   * @throws Busy when another execution is running (fail fast, never wait)
   * @throws SandboxException when the sandbox is closed or refuses the request
   */
  Running start(Wire.ExecRequest request, InputStream stdin, OutputStream stdout, OutputStream stderr)
      throws SandboxException, Busy;

  boolean isOpen();

  /**
   * Closes the sandbox and waits until it is gone.
   *
   * @return empty when the teardown is confirmed, else what is (or may be) still alive
   */
  java.util.Optional<String> close();

  /** One running execution. */
  interface Running {
    CompletableFuture<ExecutionResult> result();

    /** Kills that execution's whole process tree; the sandbox stays usable. */
    void cancel();
  }

  /** Another execution is running. */
  final class Busy extends Exception {
    private static final long serialVersionUID = 1L;

    public Busy() {
      super("another execution is running");
    }
  }

  /** Starts the sandbox a session record describes. */
  interface Factory {
    /**
     * @param onClosed called once if the sandbox closes by itself (guest died, lifetime reached)
     */
    SessionSandbox start(SessionRecord record, Runnable onClosed) throws SandboxException;
  }
}
