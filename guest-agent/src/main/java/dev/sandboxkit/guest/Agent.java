package dev.sandboxkit.guest;

import dev.sandboxkit.auth.Nonce;
import dev.sandboxkit.auth.NonceFile;
import dev.sandboxkit.auth.NonceFileException;
import dev.sandboxkit.guest.executor.ControlLoop;
import dev.sandboxkit.guest.firewall.NetworkGuard;
import dev.sandboxkit.guest.firewall.NetworkVerdict;
import dev.sandboxkit.guest.job.JobLauncher;
import dev.sandboxkit.guest.listener.AgentListener;
import dev.sandboxkit.guest.listener.ListenerException;
import dev.sandboxkit.guest.listener.SessionChannels;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Wires the packages together for one agent life: nonce, network, listener, session, loop. */
final class Agent {
  private static final System.Logger LOG = System.getLogger(Agent.class.getName());

  private final AgentOptions options;
  private final ControlLoop.Settings settings;

  Agent(AgentOptions options, ControlLoop.Settings settings) {
    this.options = options;
    this.settings = settings;
  }

  /** Runs the agent; returns its exit code (see {@link ExitCodes}). */
  int run() {
    JobLauncher launcher = JobLauncher.forCurrentOs();
    Nonce nonce;
    try {
      nonce = NonceFile.consume(options.rendezvous(), options.nonceWait(), NonceFile.DEFAULT_POLL);
    } catch (NonceFileException e) {
      LOG.log(System.Logger.Level.ERROR, e.getMessage());
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
              options.handshakeDeadline());
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
