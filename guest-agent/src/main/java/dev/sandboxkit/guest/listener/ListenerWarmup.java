package dev.sandboxkit.guest.listener;

import io.netty.channel.EventLoopGroup;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sets the listener's machinery up on a background thread while the agent's main thread does its
 * own start-up (logging, lifeline, nonce, bind, rendezvous.txt), so the event loop is ready to accept
 * the host's first connections soon after it sees rendezvous.txt. In order: the JDK's unix-domain
 * socket support (its first use seeds a {@link java.security.SecureRandom}: security providers and
 * the entropy device, which the main thread would otherwise pay just before it binds), the Netty
 * event loop group, then a rehearsal of the registration on an unbound, throwaway server channel
 * (Netty's channel, pipeline and bootstrap classes, the event loop's thread). {@link AgentListener}
 * takes the group. Anything that fails here only costs time: the listener then sets up its own.
 *
 * <p>Start it after {@link dev.sandboxkit.guest.log.GuestLog#routeNetty()} (Netty must log through
 * the agent's logging from its first class on) and after {@link NettyDefaults#apply()}.
 */
public final class ListenerWarmup {
  /** How long {@link AgentListener} waits for the group before setting up its own. */
  static final long TAKE_WAIT_MS = 10_000;

  private final CompletableFuture<EventLoopGroup> group = new CompletableFuture<>();

  /** The JDK's Unix-socket support, loaded by name (ListenerWarmupNamesTest fails if it is renamed). */
  static final String UNIX_SOCKETS = "sun.nio.ch.UnixDomainSockets";

  private ListenerWarmup() {}

  /** Starts the set-up on a daemon thread named {@code sk-listener-init}. */
  public static ListenerWarmup start(Transport transport) {
    ListenerWarmup w = new ListenerWarmup();
    Thread t = new Thread(() -> w.run(transport), "sk-listener-init");
    t.setDaemon(true);
    t.start();
    return w;
  }

  private void run(Transport transport) {
    if (transport == Transport.UNIX) {
      try {
        Class.forName(UNIX_SOCKETS, true, null);
      } catch (ClassNotFoundException | LinkageError e) {
        debug("unix-domain socket warm-up failed", e);
      }
    }
    EventLoopGroup g;
    try {
      g = AgentListener.newEventLoopGroup();
    } catch (RuntimeException | Error e) {
      group.completeExceptionally(e);
      return;
    }
    try {
      AgentListener.rehearse(g, transport);
    } catch (Exception | LinkageError e) {
      debug("listener rehearsal failed", e);
    }
    group.complete(g);
  }

  /**
   * The group set up ahead, waiting for it (at most {@link #TAKE_WAIT_MS}); null when the set-up
   * failed or took too long (the caller makes its own).
   */
  EventLoopGroup take() {
    try {
      return group.get(TAKE_WAIT_MS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      debug("the event loop could not be set up ahead", e.getCause());
    } catch (TimeoutException e) {
      debug("the event loop was not set up within " + TAKE_WAIT_MS + " ms", e);
    }
    discard();
    return null;
  }

  /** The group is not wanted (the agent ends before it listens): shut it down once it exists. */
  public void discard() {
    group.thenAccept(g -> g.shutdownGracefully(0, 1, TimeUnit.SECONDS));
  }

  private static void debug(String what, Throwable e) {
    System.getLogger(ListenerWarmup.class.getName())
        .log(System.Logger.Level.DEBUG, "{0}: {1}", what, String.valueOf(e));
  }
}
