package dev.sandboxkit.guest.listener;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;

/**
 * Numbers accepted connections in the order the listening socket accepted them (it sits in the
 * server channel's pipeline, before Netty's acceptor, on the one thread that accepts). Handshakes
 * complete on several event loops in no fixed order, so when two connections declare the same role
 * {@link ChannelSlots} keeps the one accepted later, not the one whose handshake happened to finish
 * later: a peer that connected before the host cannot displace the host's channel by being slow.
 */
final class AcceptOrder extends ChannelInboundHandlerAdapter {
  static final AttributeKey<Long> KEY = AttributeKey.valueOf(AcceptOrder.class, "seq");

  private long next;

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof Channel) {
      ((Channel) msg).attr(KEY).set(next++);
    }
    ctx.fireChannelRead(msg);
  }

  /**
   * Whether {@code a} was accepted before {@code b}. A channel without a number (not from a
   * listener) counts as the newest, so among such channels the later offer wins.
   */
  static boolean acceptedBefore(Channel a, Channel b) {
    Long x = a.attr(KEY).get();
    Long y = b.attr(KEY).get();
    return x != null && (y == null || x < y);
  }
}
