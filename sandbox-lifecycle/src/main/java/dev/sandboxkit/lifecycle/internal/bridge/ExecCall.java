package dev.sandboxkit.lifecycle.internal.bridge;

import dev.sandboxkit.protocol.ControlMessage;
import dev.sandboxkit.protocol.FrameCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One execution on a connected guest (§3 with the §8 fixes): send Exec (size checked, write
 * bounded), pump stdin, drain stdout/stderr, read Exit (exec_id checked), answer Ping, ignore Pong,
 * log and ignore anything else, send Cancel when asked ({@link CancelSignal}), a host-held deadline
 * at timeout + 2 s (0 and 0xFFFFFFFF = none) that returns the partial output — the caller then tears
 * the sandbox down, so a stopped or wedged agent cannot stretch a timeout — and a 15 s drain grace
 * after Exit. The data channels are closed when it returns; the next execution needs fresh ones
 * ({@link GuestConnection#reconnectData}).
 */
public final class ExecCall {
  /** Capture cap per stream (§0): 64 MiB. */
  public static final int CAPTURE_CAP = 64 * 1024 * 1024;
  /** How long after its timeout the host waits for the guest's Exit before tearing down (issue 14.6). */
  public static final Duration WATCHDOG_GRACE = Duration.ofSeconds(2);
  public static final Duration DRAIN_GRACE = Duration.ofSeconds(15);
  static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);
  private static final long JOIN_AFTER_CUT_MS = 2_000;

  /** The logger, created on first use: the launch path never starts the logging backend. */
  private static final class Log {
    static final System.Logger LOG = System.getLogger(ExecCall.class.getName());
  }

  private final int captureCap;
  private final Duration watchdogGrace;
  private final Duration drainGrace;

  public ExecCall() {
    this(CAPTURE_CAP, WATCHDOG_GRACE, DRAIN_GRACE);
  }

  /** With this capture cap per stream and the default graces. */
  public ExecCall(int captureCap) {
    this(captureCap, WATCHDOG_GRACE, DRAIN_GRACE);
  }

  /** For tests: smaller cap and graces. */
  public ExecCall(int captureCap, Duration watchdogGrace, Duration drainGrace) {
    this.captureCap = captureCap;
    this.watchdogGrace = watchdogGrace;
    this.drainGrace = drainGrace;
  }

  /** True when the wire timeout means "no timeout" on the host (§8.3: both 0 and 0xFFFFFFFF). */
  public static boolean infinite(long timeoutMs) {
    return timeoutMs == 0 || timeoutMs == ControlMessage.MAX_TIMEOUT_MS;
  }

  /**
   * Runs one command. Never throws for guest or transport failures: they come back as {@link
   * ExecOutcome.Kind#FAILED} with what was captured so far.
   *
   * @param stdin the command's input, or null for immediate EOF
   * @param liveOut / liveErr the caller's streams, or null to capture (capped)
   */
  public ExecOutcome execute(GuestConnection conn, String execId, String script, String cwd, long timeoutMs,
      InputStream stdin, OutputStream liveOut, OutputStream liveErr) throws InterruptedException {
    return execute(conn, new ExecSpec(execId, script, cwd, timeoutMs, Map.of(), stdin, liveOut, liveErr),
        new CancelSignal());
  }

  /** The Exec message for {@code spec} (the environment only when there is one). */
  public static ControlMessage.Exec message(ExecSpec spec) {
    return new ControlMessage.Exec(spec.execId(), spec.script(), spec.cwd(), spec.timeoutMs(), spec.env());
  }

  /**
   * Runs one command; {@code cancel} may be raised from any thread while it runs. Never throws for
   * guest or transport failures: they come back as {@link ExecOutcome.Kind#FAILED} with what was
   * captured so far.
   */
  public ExecOutcome execute(GuestConnection conn, ExecSpec spec, CancelSignal cancel) throws InterruptedException {
    String execId = spec.execId();
    long timeoutMs = spec.timeoutMs();
    InputStream stdin = spec.stdin();
    OutputStream liveOut = spec.stdout();
    OutputStream liveErr = spec.stderr();
    ControlMessage.Exec exec = message(spec);
    byte[] frame;
    try {
      frame = FrameCodec.encode(exec);
    } catch (IOException e) {
      return failed("the command is too large to send: " + e.getMessage(), "", null, null);
    }
    try {
      conn.control.writeBytes(frame, Deadline.after(WRITE_TIMEOUT), "send Exec");
    } catch (IOException e) {
      return failed("send Exec: " + e.getMessage(), "", null, null);
    }
    Deadline watchdog = infinite(timeoutMs)
        ? Deadline.NONE
        : Deadline.after(Duration.ofMillis(timeoutMs).plus(watchdogGrace));

    OutputDrain out = new OutputDrain("stdout", conn.stdout, liveOut, captureCap);
    OutputDrain err = new OutputDrain("stderr", conn.stderr, liveErr, captureCap);
    out.start();
    err.start();
    StdinPump pump = null;
    if (stdin != null) {
      pump = new StdinPump(stdin, conn.stdin);
      pump.start();
    } else {
      try {
        conn.stdin.shutdownOutput();
      } catch (IOException e) {
        Log.LOG.log(System.Logger.Level.DEBUG, "half-closing guest stdin failed: {0}", e.getMessage());
      }
    }

    ControlMessage.Exit exit;
    cancel.attach(conn);
    try {
      exit = awaitExit(conn, execId, watchdog, cancel);
    } catch (BridgeException.Timeout e) {
      String msg = "the guest did not report the end of the command within " + watchdogGrace.toMillis()
          + " ms of its " + timeoutMs + " ms timeout (a stopped or wedged agent?)";
      Log.LOG.log(System.Logger.Level.WARNING, msg);
      cut(conn, pump, out, err);
      return new ExecOutcome(ExecOutcome.Kind.WATCHDOG, -1, msg, "partial output returned", out.bytes(), err.bytes());
    } catch (IOException e) {
      cut(conn, pump, out, err);
      return failed(e.getMessage(), "", out, err);
    } finally {
      cancel.detach();
    }

    // Exit received: give the output channels the drain grace (§8.5), never beyond the watchdog.
    List<String> detail = new ArrayList<>();
    Deadline grace = Deadline.after(drainGrace).min(watchdog);
    boolean outDone = out.await(grace);
    boolean errDone = err.await(grace);
    if (!outDone || !errDone) {
      String note = "output still open " + drainGrace.toSeconds()
          + "s after the command exited (a background process may hold it); stopped reading";
      Log.LOG.log(System.Logger.Level.WARNING, note);
      detail.add(note);
    }
    cut(conn, pump, out, err);
    if (pump != null && pump.error() != null) {
      detail.add(pump.error());
    }
    ExecOutcome o = finish(exit, out, err, detail);
    if (cancel.sent() && exit.exitCode() < 0) {
      return new ExecOutcome(ExecOutcome.Kind.CANCELLED, -1, "the execution was cancelled", o.detail(),
          o.stdout(), o.stderr());
    }
    return o;
  }

  private ControlMessage.Exit awaitExit(GuestConnection conn, String execId, Deadline watchdog, CancelSignal cancel)
      throws IOException {
    while (true) {
      ControlMessage m;
      try {
        m = conn.control.readMessage(watchdog, "waiting for Exit");
      } catch (BridgeException.Woken w) {
        if (cancel.requested() && !cancel.sent()) {
          conn.control.write(new ControlMessage.Cancel(execId), Deadline.after(WRITE_TIMEOUT).min(watchdog),
              "send Cancel");
          cancel.markSent();
        }
        continue;
      }
      if (m instanceof ControlMessage.Exit) {
        ControlMessage.Exit x = (ControlMessage.Exit) m;
        if (!x.execId().equals(execId)) {
          throw new BridgeException("protocol error: the guest reported Exit for exec_id " + x.execId()
              + ", expected " + execId);
        }
        return x;
      } else if (m instanceof ControlMessage.Ping) {
        conn.control.write(ControlMessage.PONG, Deadline.after(WRITE_TIMEOUT).min(watchdog), "answer Ping");
      } else if (m instanceof ControlMessage.Pong) {
        // keepalive answer: nothing to do
      } else {
        Log.LOG.log(System.Logger.Level.WARNING, "ignoring unexpected control message {0} during exec", m.type());
      }
    }
  }

  private static void cut(GuestConnection conn, StdinPump pump, OutputDrain out, OutputDrain err)
      throws InterruptedException {
    conn.closeData();
    out.join(JOIN_AFTER_CUT_MS);
    err.join(JOIN_AFTER_CUT_MS);
    if (pump != null) {
      pump.join(JOIN_AFTER_CUT_MS);
    }
  }

  private ExecOutcome finish(ControlMessage.Exit exit, OutputDrain out, OutputDrain err, List<String> detail) {
    int code = exit.exitCode();
    String message = exit.errorMessage();
    String truncation = truncationNote(out, err);
    String transport = out.error() != null ? out.error() : err.error();
    for (OutputDrain d : List.of(out, err)) {
      if (d.error() != null) {
        Log.LOG.log(System.Logger.Level.WARNING, d.error());
        detail.add(d.error());
      }
      if (d.sinkError() != null) {
        detail.add(d.sinkError());
      }
    }
    if (code == 0 && transport != null) {
      code = -1;
      message = "transport error draining guest output (captured " + out.seen() + " stdout / " + err.seen()
          + " stderr byte(s) before the error): " + transport;
    }
    if (truncation != null) {
      Log.LOG.log(System.Logger.Level.WARNING, truncation + "; stream the output to avoid the cap");
      message = message.isEmpty() ? truncation : message + "; " + truncation;
    }
    return new ExecOutcome(ExecOutcome.Kind.EXITED, code, message, String.join("; ", detail), out.bytes(),
        err.bytes());
  }

  private String truncationNote(OutputDrain out, OutputDrain err) {
    String which;
    if (out.truncated() && err.truncated()) {
      which = "stdout and stderr";
    } else if (out.truncated()) {
      which = "stdout";
    } else if (err.truncated()) {
      which = "stderr";
    } else {
      return null;
    }
    return "guest " + which + " exceeded the " + captureCap + "-byte capture cap and was truncated";
  }

  private static ExecOutcome failed(String message, String detail, OutputDrain out, OutputDrain err) {
    return new ExecOutcome(ExecOutcome.Kind.FAILED, -1, message, detail,
        out == null ? new byte[0] : out.bytes(), err == null ? new byte[0] : err.bytes());
  }
}
