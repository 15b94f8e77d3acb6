package dev.sandboxkit.cli;

import dev.sandboxkit.cli.session.DaemonClient;
import dev.sandboxkit.cli.session.SessionException;
import dev.sandboxkit.cli.session.SessionStore;
import dev.sandboxkit.cli.session.Wire;
import dev.sandboxkit.lifecycle.ExecutionResult;
import dev.sandboxkit.lifecycle.FailurePhase;
import java.io.IOException;
import java.io.OutputStream;

/**
 * One execution in a running session, from the client side: admission first, then stdin is pumped
 * (B20), output is relayed as it arrives (or captured for --json), Ctrl-C cancels that execution
 * only (B10), a closed downstream pipe cancels it and exits 141.
 */
final class ExecClient {
  /** The exit code when our stdout's reader went away (128 + SIGPIPE), as a shell reports it. */
  static final int BROKEN_PIPE = 141;
  /** Ctrl-C (128 + SIGINT). */
  static final int INTERRUPTED = 130;

  /** The result, and whether our own stdout broke. */
  record Outcome(ExecutionResult result, boolean brokenPipe) {}

  /** Why the daemon did not run it: a CLI error (exit 125, nothing was run). */
  static CliException refused(String id, DaemonClient.Refused r) {
    String reason = r.reason();
    if (reason.equals("busy")) {
      return new CliException("sandbox " + id + " is busy: another exec is running in it",
          "wait for it to end and retry (executions run one at a time and never queue)", "",
          ExitCodes.SANDBOX_FAILED);
    }
    if (reason.equals("closed")) {
      return new CliException("sandbox " + id + " is stopping or closed", "start a new one with "
          + "'sandboxkit start'", "", ExitCodes.SANDBOX_FAILED);
    }
    return new CliException("the daemon of sandbox " + id + " refused the execution: "
        + Text.escape(reason), "rerun with --verbose; 'sandboxkit ls' shows its state", "", ExitCodes.SANDBOX_FAILED);
  }

  static CliException notRunning(String id) {
    return new CliException("sandbox " + id + " is not running (its daemon is gone)",
        "'sandboxkit ls' shows it; remove it with 'sandboxkit stop " + id + "' or 'sandboxkit cleanup'",
        "", ExitCodes.SANDBOX_FAILED);
  }

  /** Connects to the daemon of {@code id} (resolved) and returns the admitted execution. */
  static DaemonClient.Exec admit(SessionStore store, String id, Wire.ExecRequest req) throws IOException, SessionException {
    DaemonClient client = new DaemonClient(store.socket(id), store.secret(id));
    return client.exec(req);
  }

  /** Runs an admitted execution to its end, its output streamed to our stdout and stderr. */
  static Outcome relay(DaemonClient.Exec exec, Io io) throws IOException {
    return relay(exec, io, null, null);
  }

  /**
   * Runs an admitted execution to its end. With captures ({@code exec --json}) the output goes into
   * them, bounded (the result's own stdout/stderr are then empty); without, to our stdout/stderr.
   */
  static Outcome relay(DaemonClient.Exec exec, Io io, BoundedCapture out, BoundedCapture err) throws IOException {
    boolean capture = out != null;
    Thread hook = new Thread(exec::cancel, "sk-exec-cancel");
    Runtime.getRuntime().addShutdownHook(hook); // Ctrl-C / SIGTERM: cancel that execution only
    boolean done = false;
    try {
      exec.pumpStdin(io.stdinIsTerminal() ? null : io.in());
      boolean[] broken = {false};
      Wire.Exit exit = exec.relay(new DaemonClient.Sink() {
        @Override
        public void stdout(byte[] b) throws IOException {
          if (capture) {
            out.write(b, 0, b.length);
          } else if (!broken[0]) {
            try {
              io.out().write(b);
            } catch (IOException e) {
              broken[0] = true; // the reader of our stdout is gone: stop the command
              exec.cancel();
            }
          }
        }

        @Override
        public void stderr(byte[] b) throws IOException {
          if (capture) {
            err.write(b, 0, b.length);
          } else {
            write(io.err(), b);
          }
        }
      });
      done = true;
      return new Outcome(new ExecutionResult(exit.exitCode(), new byte[0], new byte[0],
          exit.errorMessage(), exit.extendedError(), exit.phase()), broken[0]);
    } finally {
      if (done) {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // shutting down: the hook runs (the execution has ended; CANCEL is answered "no such execution")
        }
      }
      exec.close();
    }
  }

  private static void write(OutputStream o, byte[] b) {
    try {
      o.write(b);
    } catch (IOException e) {
      // stderr is gone: nothing to report it to
    }
  }

  /** The exit code and message for a finished execution, as {@code run} reports one. */
  static int report(ExecutionResult r, java.io.PrintWriter err, boolean verbose) {
    if (r.failurePhase() == FailurePhase.TIMED_OUT) {
      ErrorHandler.print(err, new CliException("the command timed out", ErrorHandler.hint(FailurePhase.TIMED_OUT),
          r.extendedError(), ExitCodes.TIMED_OUT), verbose, null);
      return ExitCodes.TIMED_OUT;
    }
    if (r.failurePhase().name().equals("CANCELLED")) {
      err.println("sandboxkit: the command was cancelled");
      err.flush();
      return INTERRUPTED;
    }
    int code = ExitCodes.forRun(r.failurePhase(), r.exitCode());
    boolean ours = switch (r.failurePhase()) {
      case NONE, PROCESS_EXITED -> r.exitCode() == -1;
      default -> true;
    };
    if (ours) {
      CliException e = ErrorHandler.forSandbox(r.failurePhase() == FailurePhase.PROCESS_EXITED
              ? FailurePhase.POST_LAUNCH_FAILED : r.failurePhase(),
          r.errorMessage().isBlank() ? "the command could not be started in the sandbox" : r.errorMessage(),
          r.extendedError());
      ErrorHandler.print(err, e, verbose, e);
    }
    return code;
  }
}
