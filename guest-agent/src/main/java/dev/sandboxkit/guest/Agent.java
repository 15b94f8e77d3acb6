package dev.sandboxkit.guest;

import dev.sandboxkit.auth.Nonce;
import dev.sandboxkit.auth.NonceFile;
import dev.sandboxkit.auth.NonceFileException;
import dev.sandboxkit.guest.executor.ControlLoop;
import dev.sandboxkit.guest.executor.ExecutorWarmup;
import dev.sandboxkit.guest.firewall.NetworkGuard;
import dev.sandboxkit.guest.firewall.NetworkVerdict;
import dev.sandboxkit.guest.job.JobLauncher;
import dev.sandboxkit.guest.listener.AgentListener;
import dev.sandboxkit.guest.listener.ListenerException;
import dev.sandboxkit.guest.listener.ListenerWarmup;
import dev.sandboxkit.guest.listener.SessionChannels;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntConsumer;

/**
 * Wires the packages together for one agent life: lifeline, nonce, network, listener, session, loop.
 */
final class Agent {
  private static final System.Logger LOG = System.getLogger(Agent.class.getName());
  /** How long the lifeline waits for the job's tree to die before exiting anyway. */
  static final Duration LIFELINE_KILL_DEADLINE = Duration.ofSeconds(5);

  private final AgentOptions options;
  private final ControlLoop.Settings settings;
  private final InputStream lifelineIn;
  private final IntConsumer exit;
  private final ListenerWarmup warmup;

  /** With {@code --lifeline stdin} the lifeline is {@link System#in} and ends the process at once. */
  Agent(AgentOptions options, ControlLoop.Settings settings) {
    this(options, settings, System.in, code -> Runtime.getRuntime().halt(code));
  }

  /**
   * @param lifelineIn what {@code --lifeline stdin} watches
   * @param exit ends the process with the given code once the lifeline closed and the job is killed
   */
  Agent(AgentOptions options, ControlLoop.Settings settings, InputStream lifelineIn, IntConsumer exit) {
    this(options, settings, lifelineIn, exit, null);
  }

  /** @param warmup the listener's set-up started ahead ({@link ListenerWarmup}), or null */
  Agent(AgentOptions options, ControlLoop.Settings settings, InputStream lifelineIn, IntConsumer exit,
      ListenerWarmup warmup) {
    this.options = options;
    this.settings = settings;
    this.lifelineIn = lifelineIn;
    this.exit = exit;
    this.warmup = warmup;
  }

  /** Runs the agent; returns its exit code (see {@link ExitCodes}). */
  int run() {
    JobGuard launcher = new JobGuard(JobLauncher.forCurrentOs(ExecutorWarmup::run));
    // First of all: a host that died before we got here must not leave us waiting for it.
    Lifeline lifeline =
        options.lifeline() == Lifeline.Mode.STDIN
            ? Lifeline.watch(lifelineIn, why -> hostGone(why, launcher))
            : null;
    int code = runSession(launcher);
    return lifeline != null && lifeline.tripped() ? ExitCodes.LIFELINE : code;
  }

  /** The lifeline closed: kill the running job's tree, then end the process. */
  private void hostGone(String why, JobGuard launcher) {
    LOG.log(
        System.Logger.Level.ERROR,
        "host lifeline closed ({0}): the host is gone; killing the running job and exiting with {1}",
        why,
        ExitCodes.LIFELINE);
    try {
      List<Long> survivors = launcher.shutdown(LIFELINE_KILL_DEADLINE);
      if (!survivors.isEmpty()) {
        LOG.log(
            System.Logger.Level.ERROR,
            "{0} job process(es) still alive {1} ms after the kill: {2}",
            survivors.size(),
            LIFELINE_KILL_DEADLINE.toMillis(),
            survivors);
      }
    } finally {
      exit.accept(ExitCodes.LIFELINE);
    }
  }

  private int runSession(JobLauncher launcher) {
    Nonce nonce;
    try {
      nonce = NonceFile.consume(options.rendezvous(), options.nonceWait(), NonceFile.DEFAULT_POLL);
    } catch (NonceFileException e) {
      LOG.log(System.Logger.Level.ERROR, e.getMessage());
      if (warmup != null) {
        warmup.discard();
      }
      return ExitCodes.NONCE;
    }
    NetworkGuard guard = NetworkGuard.create(options.network());
    guard.beforeBind();
    AgentListener listener;
    try {
      listener =
          AgentListener.bind(
              options.transport(),
              options.rendezvous(),
              nonce,
              options.advertiseHost(),
              options.handshakeDeadline(),
              warmup);
    } catch (ListenerException e) {
      LOG.log(System.Logger.Level.ERROR, e.getMessage());
      return ExitCodes.LISTEN;
    }
    try {
      SessionChannels session;
      try {
        session = listener.session().get(options.sessionWait().toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        LOG.log(
            System.Logger.Level.ERROR,
            "the host did not connect control, stdin, stdout and stderr within {0} ms",
            options.sessionWait().toMillis());
        return ExitCodes.HOST_TIMEOUT;
      }
      LOG.log(System.Logger.Level.INFO, "host connected all four channels");
      SocketAddress remote = session.control().remoteAddress();
      String hostIp =
          remote instanceof InetSocketAddress
              ? ((InetSocketAddress) remote).getAddress().getHostAddress()
              : null;
      NetworkVerdict verdict = guard.lockDown(hostIp, listener.port());
      ControlLoop.End end = new ControlLoop(listener, session, launcher, verdict, settings).run();
      LOG.log(System.Logger.Level.INFO, "agent stopping: {0}", end);
      switch (end) {
        case CONTROL_CLOSED:
          return ExitCodes.CLEAN;
        case PROTOCOL_ERROR:
          return ExitCodes.PROTOCOL;
        default:
          return ExitCodes.HOST_TIMEOUT;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.log(System.Logger.Level.ERROR, "interrupted");
      return ExitCodes.INTERNAL;
    } catch (ExecutionException | RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "agent failed: {0}", e.toString());
      return ExitCodes.INTERNAL;
    } finally {
      listener.close();
    }
  }
}
