package dev.sandboxkit.guest.listener;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Holds what a data channel received until a consumer thread pulls it. The channel does not read
 * on its own ({@code autoRead} off): the consumer asks for more with {@link #requestMore()} only
 * when it has drained the queue, so at most one read cycle is ever buffered (backpressure reaches
 * the host through the socket). End of input (half-close, close or error) is queued as {@link #END}.
 */
public final class InboundQueue extends ChannelInboundHandlerAdapter {
  /** Marks the end of the channel's input. */
  public static final Object END = new Object();

  private final LinkedBlockingQueue<Object> items = new LinkedBlockingQueue<>();
  private volatile ChannelHandlerContext ctx;
  private boolean ended;

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (ended || !(msg instanceof ByteBuf)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    items.add(msg);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent) {
      end();
    }
    ReferenceCountUtil.release(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    end();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    end();
    ctx.close();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    end();
    discard();
  }

  private void end() {
    if (!ended) {
      ended = true;
      items.add(END);
    }
  }

  /** Asks the channel for one more read cycle. Safe from any thread. */
  public void requestMore() {
    ChannelHandlerContext c = ctx;
    if (c != null && c.channel().isActive()) {
      c.channel().read();
    }
  }

  /** Whether nothing is buffered. */
  public boolean isEmpty() {
    return items.isEmpty();
  }

  /** The next item without taking it (a {@link ByteBuf} still owned by the queue, {@link #END}), or null. */
  public Object peek() {
    return items.peek();
  }

  /**
   * The next item: a {@link ByteBuf} (the caller releases it), {@link #END}, or {@code null} when
   * nothing arrived within {@code millis}.
   */
  public Object poll(long millis) throws InterruptedException {
    return items.poll(millis, TimeUnit.MILLISECONDS);
  }

  /** Releases everything still queued. */
  public void discard() {
    Object o;
    while ((o = items.poll()) != null) {
      if (o != END) {
        ReferenceCountUtil.release(o);
      } else {
        items.add(END);
        return;
      }
    }
  }
}
