package dev.sandboxkit.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Writes a {@link ControlMessage} as one frame. Stateless and sharable; refuses (fails the write
 * with {@link FrameTooLongException}) a message whose JSON exceeds the frame limit.
 */
@ChannelHandler.Sharable
public final class ControlFrameEncoder extends MessageToByteEncoder<ControlMessage> {
  public ControlFrameEncoder() {
    super(ControlMessage.class);
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, ControlMessage msg, ByteBuf out)
      throws FrameTooLongException {
    byte[] json = ControlJson.toJson(msg);
    if (json.length > FrameCodec.MAX_FRAME_LENGTH) {
      throw new FrameTooLongException(json.length, FrameCodec.MAX_FRAME_LENGTH);
    }
    out.writeIntLE(json.length);
    out.writeBytes(json);
  }
}
