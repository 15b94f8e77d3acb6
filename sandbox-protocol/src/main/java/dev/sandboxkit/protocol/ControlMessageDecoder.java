package dev.sandboxkit.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;

/** Turns a frame body from {@link ControlFrameDecoder} into a {@link ControlMessage}. Stateless. */
@ChannelHandler.Sharable
public final class ControlMessageDecoder extends MessageToMessageDecoder<ByteBuf> {
  public ControlMessageDecoder() {
    super(ByteBuf.class);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf body, List<Object> out)
      throws MalformedFrameException {
    byte[] json = ByteBufUtil.getBytes(body);
    out.add(ControlJson.fromJson(json));
  }
}
