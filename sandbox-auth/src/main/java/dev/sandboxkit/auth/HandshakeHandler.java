package dev.sandboxkit.auth;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Guest side of the handshake for one channel: reads exactly 33 bytes within a deadline, verifies
 * the nonce in constant time, fires {@link RoleAuthenticated}, passes any further bytes on
 * untouched and removes itself. On a wrong nonce, an unknown role, a peer that closes early or a
 * missed deadline it fires {@link HandshakeFailed} and closes the channel. Log lines carry the
 * reason and the remote address only, never the bytes.
 */
public final class HandshakeHandler extends ByteToMessageDecoder {
  /** The guest's default per-socket handshake deadline. */
  public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(1);

  private static final System.Logger LOG = System.getLogger(HandshakeHandler.class.getName());

  private final Nonce nonce;
  private final long deadlineNanos;
  private ScheduledFuture<?> deadlineTask;
  private boolean done;

  public HandshakeHandler(Nonce nonce) {
    this(nonce, DEFAULT_DEADLINE);
  }

  public HandshakeHandler(Nonce nonce, Duration deadline) {
    this.nonce = Objects.requireNonNull(nonce, "nonce");
    if (deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("deadline must be positive, got " + deadline);
    }
    this.deadlineNanos = deadline.toNanos();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    deadlineTask =
        ctx.executor()
            .schedule(
                () -> fail(ctx, HandshakeException.Reason.DEADLINE),
                deadlineNanos,
                TimeUnit.NANOSECONDS);
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) {
    cancelDeadline();
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (done) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (in.readableBytes() < Handshake.LENGTH) {
      return;
    }
    byte[] b = new byte[Handshake.LENGTH];
    in.readBytes(b);
    ChannelRole role;
    try {
      role = Handshake.verify(b, nonce);
    } catch (HandshakeException e) {
      fail(ctx, e.reason());
      return;
    } finally {
      java.util.Arrays.fill(b, (byte) 0);
    }
    done = true;
    cancelDeadline();
    ctx.fireUserEventTriggered(new RoleAuthenticated(role));
    // ByteToMessageDecoder forwards whatever is still buffered when it is removed.
    ctx.pipeline().remove(this);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (!done) {
      fail(ctx, HandshakeException.Reason.SHORT_READ);
    }
    super.channelInactive(ctx);
  }

  private void fail(ChannelHandlerContext ctx, HandshakeException.Reason reason) {
    if (done) {
      return;
    }
    done = true;
    cancelDeadline();
    LOG.log(
        System.Logger.Level.DEBUG,
        "dropping connection from {0}: handshake failed ({1})",
        ctx.channel().remoteAddress(),
        reason);
    ctx.fireUserEventTriggered(new HandshakeFailed(reason));
    ctx.close();
  }

  private void cancelDeadline() {
    if (deadlineTask != null) {
      deadlineTask.cancel(false);
      deadlineTask = null;
    }
  }
}
