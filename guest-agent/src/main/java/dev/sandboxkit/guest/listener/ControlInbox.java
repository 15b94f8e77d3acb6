package dev.sandboxkit.guest.listener;

import dev.sandboxkit.protocol.ControlMessage;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The end of the control channel's pipeline. {@code Ping} is answered with {@code Pong} at once
 * (also while a job runs); every other message is queued for the executor, in arrival order: a
 * running job takes the {@code Cancel}s at the head of the queue ({@link #pollCancel()}), so a
 * {@code Cancel} sent before an {@code Exec} can never cancel that {@code Exec}'s job. The host closing its
 * side (end of input) closes the channel: that is the agent's clean shutdown signal. A malformed
 * frame is a protocol error: the channel is closed and {@link #protocolError()} says why.
 */
public final class ControlInbox extends SimpleChannelInboundHandler<ControlMessage> {
  private static final System.Logger LOG = System.getLogger(ControlInbox.class.getName());

  private final LinkedBlockingQueue<ControlMessage> messages = new LinkedBlockingQueue<>();
  private volatile boolean closed;
  private volatile String protocolError = "";

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, ControlMessage msg) {
    if (msg instanceof ControlMessage.Ping) {
      ctx.writeAndFlush(ControlMessage.PONG);
      return;
    }
    messages.add(msg);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent) {
      ctx.close();
    }
    ReferenceCountUtil.release(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closed = true;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Throwable c = cause.getCause() != null && cause instanceof io.netty.handler.codec.DecoderException
        ? cause.getCause()
        : cause;
    protocolError = c.getClass().getSimpleName() + ": " + c.getMessage();
    LOG.log(System.Logger.Level.ERROR, "control channel failed, closing it: {0}", protocolError);
    ctx.close();
  }

  /** The next message, or {@code null} after {@code millis} or once the channel is closed and drained. */
  public ControlMessage poll(long millis) throws InterruptedException {
    ControlMessage m = messages.poll();
    if (m != null || closed) {
      return m;
    }
    return messages.poll(millis, TimeUnit.MILLISECONDS);
  }

  /**
   * The {@code Cancel} at the head of the queue, taken, or null when the queue is empty or starts
   * with another message (which stays for the command loop). Called by the one consumer thread.
   */
  public ControlMessage.Cancel pollCancel() {
    if (messages.peek() instanceof ControlMessage.Cancel) {
      return (ControlMessage.Cancel) messages.poll();
    }
    return null;
  }

  /** Whether the control channel is gone. */
  public boolean isClosed() {
    return closed;
  }

  /** Why the control channel failed, or "" when it simply closed. */
  public String protocolError() {
    return protocolError;
  }
}
