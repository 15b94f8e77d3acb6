package dev.sandboxkit.guest.listener;

import dev.sandboxkit.auth.ChannelRole;
import io.netty.channel.Channel;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Pairs authenticated channels by their declared role, never by accept order. A phase collects a
 * fixed set of roles (all four for the session, stdin/stdout/stderr for a data reconnect); when the
 * set is complete it is handed over and the phase closes. A role declared twice within a phase
 * keeps the connection accepted later ({@link AcceptOrder}) and closes the other, so two peers
 * never share a slot and a peer that connected before the host cannot win by a slow handshake; a
 * channel that dies
 * while waiting frees its slot. Outside a phase, and for roles the phase does not take, channels are
 * refused.
 */
final class ChannelSlots {
  /** Outcome of {@link #offer}. */
  enum Offer {
    ACCEPTED,
    DISPLACED_EARLIER,
    /** A connection accepted later already holds the role: the offered one is the stale one. */
    SUPERSEDED,
    REFUSED_ROLE_NOT_WANTED,
    REFUSED_NO_PHASE
  }

  private static final Set<ChannelRole> ALL = EnumSet.allOf(ChannelRole.class);
  private static final Set<ChannelRole> DATA =
      EnumSet.of(ChannelRole.STDIN, ChannelRole.STDOUT, ChannelRole.STDERR);

  private final Map<ChannelRole, Channel> pending = new EnumMap<>(ChannelRole.class);
  private Set<ChannelRole> wanted = ALL;
  private CompletableFuture<Map<ChannelRole, Channel>> waiter = new CompletableFuture<>();

  /** The first phase (all four roles), open from construction. */
  synchronized CompletableFuture<Map<ChannelRole, Channel>> sessionPhase() {
    return waiter;
  }

  /** Opens a data phase (stdin, stdout, stderr; control refused). */
  synchronized CompletableFuture<Map<ChannelRole, Channel>> openDataPhase() {
    if (wanted != null && !waiter.isDone()) {
      throw new IllegalStateException("a phase for " + wanted + " is still open");
    }
    pending.clear();
    wanted = DATA;
    waiter = new CompletableFuture<>();
    return waiter;
  }

  /** Offers an authenticated channel; the caller closes it unless ACCEPTED or DISPLACED_EARLIER. */
  Offer offer(ChannelRole role, Channel ch) {
    CompletableFuture<Map<ChannelRole, Channel>> complete = null;
    Map<ChannelRole, Channel> set = null;
    Channel displaced;
    synchronized (this) {
      if (wanted == null) {
        return Offer.REFUSED_NO_PHASE;
      }
      if (!wanted.contains(role)) {
        return Offer.REFUSED_ROLE_NOT_WANTED;
      }
      Channel held = pending.get(role);
      if (held != null && AcceptOrder.acceptedBefore(ch, held)) {
        return Offer.SUPERSEDED;
      }
      displaced = pending.put(role, ch);
      ch.closeFuture().addListener(f -> release(role, ch));
      if (pending.keySet().containsAll(wanted)) {
        set = new EnumMap<>(pending);
        pending.clear();
        wanted = null;
        complete = waiter;
      }
    }
    if (displaced != null) {
      displaced.close();
    }
    if (complete != null) {
      complete.complete(set);
    }
    return displaced == null ? Offer.ACCEPTED : Offer.DISPLACED_EARLIER;
  }

  private synchronized void release(ChannelRole role, Channel ch) {
    pending.remove(role, ch);
  }

  /** Ends every phase and closes channels still waiting. */
  void close() {
    Map<ChannelRole, Channel> left;
    synchronized (this) {
      wanted = null;
      left = new EnumMap<>(pending);
      pending.clear();
      waiter.cancel(false);
    }
    left.values().forEach(Channel::close);
  }
}
