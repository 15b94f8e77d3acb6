package dev.sandboxkit.lifecycle.internal.session;

import dev.sandboxkit.lifecycle.ExecutionResult;
import dev.sandboxkit.lifecycle.FailurePhase;
import dev.sandboxkit.lifecycle.internal.bridge.ExecOutcome;

/** Maps a bridge {@link ExecOutcome} to the public {@link ExecutionResult} (pure). */
public final class ResultMapper {
  /** The guest's timeout message prefix: "process timed out after N ms". */
  public static final String TIMEOUT_PREFIX = "process timed out after ";

  private ResultMapper() {}

  public static ExecutionResult map(ExecOutcome o, String extraDetail) {
    String detail = join(o.detail(), extraDetail);
    switch (o.kind()) {
      case WATCHDOG:
        return new ExecutionResult(-1, o.stdout(), o.stderr(), o.errorMessage(), detail, FailurePhase.TIMED_OUT);
      case CANCELLED:
        return new ExecutionResult(-1, o.stdout(), o.stderr(), o.errorMessage(), detail, FailurePhase.CANCELLED);
      case FAILED:
        return new ExecutionResult(-1, o.stdout(), o.stderr(),
            "the connection to the guest failed during the command: " + oneLine(o.errorMessage()), detail,
            FailurePhase.POST_LAUNCH_FAILED);
      case EXITED:
      default:
        int code = o.exitCode();
        String msg = oneLine(o.errorMessage());
        if (code == 0) {
          return new ExecutionResult(0, o.stdout(), o.stderr(), msg, detail, FailurePhase.NONE);
        }
        if (code < 0 && msg.startsWith(TIMEOUT_PREFIX)) {
          return new ExecutionResult(-1, o.stdout(), o.stderr(), msg, detail, FailurePhase.TIMED_OUT);
        }
        if (code < 0) {
          return new ExecutionResult(code, o.stdout(), o.stderr(),
              msg.isEmpty() ? "the command could not be run in the sandbox (exit " + code + ")" : msg,
              detail, FailurePhase.POST_LAUNCH_FAILED);
        }
        return new ExecutionResult(code, o.stdout(), o.stderr(),
            msg.isEmpty() ? "the command exited with code " + code : msg, detail, FailurePhase.PROCESS_EXITED);
    }
  }

  public static String oneLine(String s) {
    if (s == null) {
      return "";
    }
    return s.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ').strip();
  }

  public static String join(String a, String b) {
    if (a == null || a.isEmpty()) {
      return b == null ? "" : b;
    }
    if (b == null || b.isEmpty()) {
      return a;
    }
    return a + "; " + b;
  }
}
