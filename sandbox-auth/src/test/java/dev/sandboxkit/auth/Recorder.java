package dev.sandboxkit.auth;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The handler after "handshake" in tests: records user events, the bytes passed on, and the close. */
final class Recorder extends ChannelInboundHandlerAdapter {
  final List<Object> events = new CopyOnWriteArrayList<>();
  final LinkedBlockingQueue<Object> eventQueue = new LinkedBlockingQueue<>();
  final CompletableFuture<Void> inactive = new CompletableFuture<>();
  private final ByteArrayOutputStream data = new ByteArrayOutputStream();
  private final Object lock = new Object();

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    events.add(evt);
    eventQueue.add(evt);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf b = (ByteBuf) msg;
    try {
      synchronized (lock) {
        b.readBytes(data, b.readableBytes());
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    } finally {
      b.release();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    inactive.complete(null);
  }

  byte[] data() {
    synchronized (lock) {
      return data.toByteArray();
    }
  }

  /** Waits (bounded) until {@code n} bytes have been passed on. */
  byte[] awaitData(int n, long timeoutMillis) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (data().length < n && System.nanoTime() < end) {
      Thread.sleep(5);
    }
    return data();
  }

  Object nextEvent(long timeoutMillis) throws InterruptedException {
    return eventQueue.poll(timeoutMillis, TimeUnit.MILLISECONDS);
  }
}
