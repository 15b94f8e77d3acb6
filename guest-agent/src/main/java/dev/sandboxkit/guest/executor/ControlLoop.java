package dev.sandboxkit.guest.executor;

import dev.sandboxkit.guest.firewall.NetworkVerdict;
import dev.sandboxkit.guest.job.JobLauncher;
import dev.sandboxkit.guest.listener.AgentListener;
import dev.sandboxkit.guest.listener.ControlInbox;
import dev.sandboxkit.guest.listener.DataChannels;
import dev.sandboxkit.guest.listener.SessionChannels;
import dev.sandboxkit.protocol.Capabilities;
import dev.sandboxkit.protocol.ControlMessage;
import dev.sandboxkit.protocol.Preamble;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The agent's command loop on the control channel: preamble and {@code Ready}, then one job per
 * {@code Exec}, each followed by {@code Exit}, {@code StreamsReady} and three fresh data channels.
 * {@code Ping} is answered by the inbox; a {@code Cancel} is taken by the job it names while that
 * job runs; anything else (a {@code Cancel} with no job running included) is logged and ignored.
 * {@code Ready} announces {@code cancel}, and {@code env} when the platform's launcher applies
 * environment variables. Entry point of the package.
 */
public final class ControlLoop {
  /** How the loop ended. */
  public enum End {
    /** The host closed the control channel. */
    CONTROL_CLOSED,
    /** The host sent a malformed control frame. */
    PROTOCOL_ERROR,
    /** The host did not reconnect the data channels in time after a job. */
    DATA_RECONNECT_TIMEOUT
  }

  /** Tunables; production uses {@link #DEFAULTS}. */
  public record Settings(Duration drainGrace, Duration reconnectTimeout) {
    public static final Settings DEFAULTS = new Settings(Duration.ofSeconds(10), Duration.ofSeconds(120));
  }

  private static final System.Logger LOG = System.getLogger(ControlLoop.class.getName());
  private static final long POLL_MS = 100;

  private final AgentListener listener;
  private final SessionChannels session;
  private final JobLauncher launcher;
  private final NetworkVerdict verdict;
  private final Settings settings;

  public ControlLoop(
      AgentListener listener,
      SessionChannels session,
      JobLauncher launcher,
      NetworkVerdict verdict,
      Settings settings) {
    this.listener = listener;
    this.session = session;
    this.launcher = launcher;
    this.verdict = verdict;
    this.settings = settings;
  }

  /** Runs until the control channel closes (or fails). */
  public End run() throws InterruptedException {
    Channel control = session.control();
    ControlInbox inbox = session.inbox();
    control.write(Unpooled.wrappedBuffer(Preamble.bytes()));
    control.writeAndFlush(new ControlMessage.Ready(capabilities(launcher)));
    DataChannels data = session.data();
    try {
      while (true) {
        ControlMessage msg = inbox.poll(POLL_MS);
        if (msg == null) {
          if (inbox.isClosed()) {
            return inbox.protocolError().isEmpty() ? End.CONTROL_CLOSED : End.PROTOCOL_ERROR;
          }
          continue;
        }
        if (msg instanceof ControlMessage.Cancel) {
          LOG.log(System.Logger.Level.INFO, "ignoring Cancel for {0}: no job is running",
              ((ControlMessage.Cancel) msg).execId());
          continue;
        }
        if (!(msg instanceof ControlMessage.Exec)) {
          LOG.log(System.Logger.Level.INFO, "ignoring unexpected control message {0}", msg.type());
          continue;
        }
        ControlMessage.Exec exec = (ControlMessage.Exec) msg;
        ControlMessage.Exit exit =
            new JobRun(exec, data, launcher, verdict, inbox, settings.drainGrace()).run();
        data = null;
        CompletableFuture<DataChannels> next = listener.acceptDataChannels();
        control.write(exit);
        control.writeAndFlush(ControlMessage.STREAMS_READY);
        data = awaitData(next, inbox);
        if (data == null) {
          if (inbox.isClosed()) {
            return inbox.protocolError().isEmpty() ? End.CONTROL_CLOSED : End.PROTOCOL_ERROR;
          }
          return End.DATA_RECONNECT_TIMEOUT;
        }
      }
    } finally {
      if (data != null) {
        data.closeAll();
      }
      control.close();
    }
  }

  /** What this agent announces in {@code Ready}, in {@link Capabilities#ALL}'s order. */
  static List<String> capabilities(JobLauncher launcher) {
    List<String> c = new ArrayList<>();
    c.add(Capabilities.CANCEL);
    if (launcher.appliesEnvironment()) {
      c.add(Capabilities.ENV);
    }
    return c;
  }

  /** The reconnected data channels, or null when control closed or the deadline passed. */
  private DataChannels awaitData(CompletableFuture<DataChannels> next, ControlInbox inbox)
      throws InterruptedException {
    long end = System.nanoTime() + settings.reconnectTimeout().toNanos();
    while (System.nanoTime() - end < 0) {
      try {
        return next.get(POLL_MS, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        if (inbox.isClosed()) {
          return null;
        }
      } catch (ExecutionException | java.util.concurrent.CancellationException e) {
        return null;
      }
    }
    LOG.log(
        System.Logger.Level.ERROR,
        "the host did not reconnect stdin, stdout and stderr within {0} ms after StreamsReady",
        settings.reconnectTimeout().toMillis());
    return null;
  }
}
