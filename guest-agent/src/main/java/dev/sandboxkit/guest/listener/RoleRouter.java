package dev.sandboxkit.guest.listener;

import dev.sandboxkit.auth.ChannelRole;
import dev.sandboxkit.auth.HandshakeFailed;
import dev.sandboxkit.auth.RoleAuthenticated;
import dev.sandboxkit.protocol.ControlFrameDecoder;
import dev.sandboxkit.protocol.ControlFrameEncoder;
import dev.sandboxkit.protocol.ControlMessageDecoder;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;

/**
 * Sits after the handshake. Once a channel has proven the nonce it builds the pipeline its role
 * needs (control: frame decoder, message decoder, frame encoder, inbox; data: an inbound queue with
 * reading paused), replaces itself, and offers the channel to the slots; a refused channel is
 * closed. The handshake handler forwards any bytes that followed the handshake only after this, so
 * they reach the new handlers.
 */
final class RoleRouter extends ChannelInboundHandlerAdapter {
  private static final System.Logger LOG = System.getLogger(RoleRouter.class.getName());
  private static final ControlFrameEncoder ENCODER = new ControlFrameEncoder();
  private static final ControlMessageDecoder MESSAGE_DECODER = new ControlMessageDecoder();

  private final ChannelSlots slots;

  RoleRouter(ChannelSlots slots) {
    this.slots = slots;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof HandshakeFailed) {
      LOG.log(
          System.Logger.Level.INFO,
          "dropped a connection: handshake failed ({0})",
          ((HandshakeFailed) evt).reason());
      return;
    }
    if (!(evt instanceof RoleAuthenticated)) {
      super.userEventTriggered(ctx, evt);
      return;
    }
    ChannelRole role = ((RoleAuthenticated) evt).role();
    ChannelPipeline p = ctx.pipeline();
    if (role == ChannelRole.CONTROL) {
      p.addAfter(ctx.name(), "control-inbox", new ControlInbox());
      p.addAfter(ctx.name(), "frame-encoder", ENCODER);
      p.addAfter(ctx.name(), "message-decoder", MESSAGE_DECODER);
      p.addAfter(ctx.name(), "frame-decoder", new ControlFrameDecoder());
    } else {
      ctx.channel().config().setAutoRead(false);
      p.addAfter(ctx.name(), role.label() + "-queue", new InboundQueue());
    }
    p.remove(this);
    ChannelSlots.Offer offer = slots.offer(role, ctx.channel());
    switch (offer) {
      case ACCEPTED:
        LOG.log(System.Logger.Level.DEBUG, "{0} channel authenticated", role.label());
        break;
      case DISPLACED_EARLIER:
        LOG.log(
            System.Logger.Level.WARNING,
            "{0} channel declared again: the new one replaces the earlier one",
            role.label());
        break;
      default:
        LOG.log(
            System.Logger.Level.WARNING,
            "dropped an authenticated {0} channel: {1}",
            role.label(),
            offer == ChannelSlots.Offer.SUPERSEDED
                ? "a connection made after it declared the same role"
                : offer == ChannelSlots.Offer.REFUSED_ROLE_NOT_WANTED
                ? "that role is not accepted now (data reconnect takes stdin/stdout/stderr only)"
                : "no channels are being accepted now");
        ctx.channel().close();
    }
  }
}
