package dev.sandboxkit.guest.listener;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Holds what a data channel received until a consumer thread pulls it. The channel does not read
 * on its own ({@code autoRead} off): the consumer asks for more with {@link #requestMore()} only
 * when it has drained the queue, so at most one read cycle is ever buffered (backpressure reaches
 * the host through the socket). End of input (half-close, close or error) is queued as {@link #END}.
 *
 * <p>What was received stays the consumer's to take even when the channel closes: on a transport
 * without half-closure (the unix socket) the host's end of input closes the channel, and the last
 * read cycle is still queued then. So the queue is owned in turn: until a consumer {@link #claim()}s
 * it, closing the channel releases what it holds (nobody will read it); once claimed, the consumer
 * takes everything up to {@link #END} and {@link #close()}s it when done, which releases the rest and
 * anything arriving later. The queue stays reachable from its channel ({@link #of}) after the channel
 * has closed and its pipeline is gone.
 */
public final class InboundQueue extends ChannelInboundHandlerAdapter {
  /** Marks the end of the channel's input. */
  public static final Object END = new Object();
  /** The channel's queue, kept on the channel so it outlives the pipeline. */
  private static final AttributeKey<InboundQueue> KEY = AttributeKey.valueOf(InboundQueue.class, "queue");

  private final LinkedBlockingQueue<Object> items = new LinkedBlockingQueue<>();
  private volatile ChannelHandlerContext ctx;
  private boolean ended;
  private boolean claimed;
  private boolean closed;

  /** The queue {@code ch}'s pipeline has or had, or null when it never had one. */
  public static InboundQueue of(io.netty.channel.Channel ch) {
    return ch.attr(KEY).get();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    ctx.channel().attr(KEY).set(this);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    synchronized (this) {
      if (!ended && !closed && msg instanceof ByteBuf) {
        items.add(msg);
        return;
      }
    }
    ReferenceCountUtil.release(msg);
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

  /** The channel is gone: what it received stays for the consumer, or is released when there is none. */
  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    boolean release;
    synchronized (this) {
      end();
      release = !claimed;
      closed |= release;
    }
    if (release) {
      releaseQueued();
    }
  }

  private synchronized void end() {
    if (!ended) {
      ended = true;
      items.add(END);
    }
  }

  /**
   * Makes the caller the consumer: it takes every item up to {@link #END} and calls {@link #close()}
   * when done. A queue whose channel has already closed unclaimed holds only {@link #END}.
   */
  public synchronized InboundQueue claim() {
    claimed = true;
    return this;
  }

  /** The consumer is done: releases what is still queued, and from now on anything that arrives. */
  public void close() {
    synchronized (this) {
      closed = true;
    }
    releaseQueued();
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

  /** Releases the buffers still queued; {@link #END}, once queued, stays. */
  private void releaseQueued() {
    boolean sawEnd = false;
    Object o;
    while ((o = items.poll()) != null) {
      if (o == END) {
        sawEnd = true;
      } else {
        ReferenceCountUtil.release(o);
      }
    }
    if (sawEnd) {
      items.add(END);
    }
  }
}
