package dev.sandboxkit.guest.executor;

import dev.sandboxkit.guest.firewall.NetworkVerdict;
import dev.sandboxkit.guest.job.JobLauncher;
import dev.sandboxkit.guest.job.JobProcess;
import dev.sandboxkit.guest.listener.ControlInbox;
import dev.sandboxkit.guest.listener.DataChannels;
import dev.sandboxkit.protocol.ControlMessage;
import io.netty.channel.Channel;
import io.netty.channel.socket.DuplexChannel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One job from {@code Exec} to the {@code Exit} it produces: start, relay stdio, enforce the
 * timeout, honour the host's {@code Cancel}, kill the whole process tree, drain (bounded), close the
 * data channels.
 */
final class JobRun {
  private static final System.Logger LOG = System.getLogger(JobRun.class.getName());
  private static final long WAIT_SLICE_MS = 50;
  private static final Duration KILL_DEADLINE = Duration.ofSeconds(5);

  private final ControlMessage.Exec exec;
  private final DataChannels data;
  private final JobLauncher launcher;
  private final NetworkVerdict verdict;
  private final ControlInbox inbox;
  private final Duration drainGrace;
  private final Pumps pumps;

  JobRun(
      ControlMessage.Exec exec,
      DataChannels data,
      JobLauncher launcher,
      NetworkVerdict verdict,
      ControlInbox inbox,
      Duration drainGrace) {
    this(exec, data, launcher, verdict, inbox, drainGrace, Pumps.SHARED);
  }

  JobRun(
      ControlMessage.Exec exec,
      DataChannels data,
      JobLauncher launcher,
      NetworkVerdict verdict,
      ControlInbox inbox,
      Duration drainGrace,
      Pumps pumps) {
    this.exec = exec;
    this.pumps = pumps;
    this.data = data;
    this.launcher = launcher;
    this.verdict = verdict;
    this.inbox = inbox;
    this.drainGrace = drainGrace;
  }

  /** 0 and 4294967295 both mean "no timeout". */
  static boolean hasTimeout(long timeoutMs) {
    return timeoutMs != 0 && timeoutMs != ControlMessage.MAX_TIMEOUT_MS;
  }

  static String timedOutMessage(long timeoutMs) {
    return "process timed out after " + timeoutMs + " ms";
  }

  ControlMessage.Exit run() throws InterruptedException {
    if (!verdict.jobsAllowed()) {
      return refuse(verdict.reason());
    }
    Path cwd = null;
    String wd = exec.workingDirectory();
    if (!wd.isEmpty()) {
      try {
        cwd = Path.of(wd);
      } catch (InvalidPathException e) {
        return refuse("working directory '" + wd + "' is not a valid path: " + e.getReason());
      }
      if (!Files.isDirectory(cwd)) {
        return refuse(
            "working directory '" + wd + "' does not exist or is not a directory inside the sandbox;"
                + " map the folder into the sandbox or pass an existing directory");
      }
    }
    if (!exec.env().isEmpty() && !launcher.appliesEnvironment()) {
      return refuse("this agent cannot apply environment variables on this platform (it did not"
          + " announce the env capability); run the job without them");
    }
    Pumps.Crew crew; // before the job exists: it may fill the process limit at once (Pumps)
    try {
      crew = pumps.take();
    } catch (IOException e) {
      return refuse(e.getMessage());
    }
    JobProcess job;
    try {
      job = launcher.start(exec.scriptCode(), cwd, exec.env());
    } catch (IOException e) {
      crew.release();
      return refuse("cannot start the job: " + e.getMessage());
    }
    LOG.log(System.Logger.Level.INFO, "job {0} started (pid {1})", exec.execId(), job.pid());
    OutputPump out = new OutputPump(job.stdout(), data.stdout(), "stdout");
    OutputPump err = new OutputPump(job.stderr(), data.stderr(), "stderr");
    InputPump in = new InputPump(data.stdinQueue(), data.stdin(), job.stdin());
    crew.run(out, err, in);

    int exitCode;
    String message = "";
    long timeoutMs = exec.timeoutMs();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (true) {
      if (job.waitFor(WAIT_SLICE_MS)) {
        exitCode = job.exitCode();
        break;
      }
      if (hasTimeout(timeoutMs) && System.nanoTime() - deadline >= 0) {
        exitCode = -1;
        message = timedOutMessage(timeoutMs);
        break;
      }
      if (inbox.isClosed()) {
        exitCode = -1;
        message = "the control channel closed while the job was running";
        break;
      }
      if (cancelled()) {
        exitCode = -1;
        message = ControlMessage.Cancel.EXIT_MESSAGE;
        break;
      }
    }
    // The job is over once its main process is: nothing it started may outlive it.
    List<Long> survivors = job.killTree(KILL_DEADLINE);
    if (!survivors.isEmpty()) {
      LOG.log(
          System.Logger.Level.ERROR,
          "job {0}: {1} process(es) still alive {2} ms after the kill: {3}",
          exec.execId(),
          survivors.size(),
          KILL_DEADLINE.toMillis(),
          survivors);
    }
    long drainEnd = System.nanoTime() + drainGrace.toNanos();
    boolean drained = out.awaitDone(remainingMs(drainEnd)) & err.awaitDone(remainingMs(drainEnd));
    if (!drained) {
      LOG.log(
          System.Logger.Level.WARNING,
          "job {0}: output relay did not drain within {1} ms after the job ended; cutting it",
          exec.execId(),
          drainGrace.toMillis());
      out.cut();
      err.cut();
      String note = "output relay did not drain within " + drainGrace.toMillis() + " ms; output was cut";
      message = message.isEmpty() ? note : message + "; " + note;
    }
    in.stop();
    // The pump may be waiting for more of the host's stdin (a host whose own stdin is a terminal
    // never ends it): closing the channel queues the end of input, so the pump stops now rather
    // than at its next poll.
    data.stdin().close();
    in.awaitDone(1000);
    data.closeAll();
    LOG.log(System.Logger.Level.INFO, "job {0} ended with exit code {1}", exec.execId(), exitCode);
    return new ControlMessage.Exit(exec.execId(), exitCode, message);
  }

  /** Takes the queued {@code Cancel}s: true when one names this job; others are logged and dropped. */
  private boolean cancelled() {
    boolean mine = false;
    ControlMessage.Cancel c;
    while ((c = inbox.pollCancel()) != null) {
      if (c.execId().equals(exec.execId())) {
        mine = true;
      } else {
        LOG.log(System.Logger.Level.INFO, "ignoring Cancel for {0}: the running job is {1}",
            c.execId(), exec.execId());
      }
    }
    if (mine) {
      LOG.log(System.Logger.Level.INFO, "job {0} cancelled by the host; killing its tree", exec.execId());
    }
    return mine;
  }

  private static long remainingMs(long endNanos) {
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(endNanos - System.nanoTime()));
  }

  /** A job that never starts: end the data streams cleanly and report -1. */
  private ControlMessage.Exit refuse(String reason) {
    LOG.log(System.Logger.Level.WARNING, "job {0} not run: {1}", exec.execId(), reason);
    halfClose(data.stdout());
    halfClose(data.stderr());
    data.closeAll();
    return new ControlMessage.Exit(exec.execId(), -1, reason);
  }

  private static void halfClose(Channel ch) {
    if (ch.isActive() && ch instanceof DuplexChannel) {
      ((DuplexChannel) ch).shutdownOutput().awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
  }
}
