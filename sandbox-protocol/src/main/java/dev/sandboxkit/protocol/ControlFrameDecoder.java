package dev.sandboxkit.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits the control stream into frame bodies ({@link ByteBuf}s holding the JSON). Per channel, not
 * sharable. The unsigned little-endian length is checked against {@link FrameCodec#MAX_FRAME_LENGTH}
 * as soon as the 4 header bytes arrive, before any body is buffered; an over-limit frame raises
 * {@link FrameTooLongException} and the decoder stops reading the channel's input.
 */
public final class ControlFrameDecoder extends ByteToMessageDecoder {
  private boolean failed;

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out)
      throws FrameTooLongException {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (in.readableBytes() < FrameCodec.HEADER_LENGTH) {
      return;
    }
    long bodyLength = in.getUnsignedIntLE(in.readerIndex());
    if (bodyLength > FrameCodec.MAX_FRAME_LENGTH) {
      failed = true;
      in.skipBytes(in.readableBytes());
      throw new FrameTooLongException(bodyLength, FrameCodec.MAX_FRAME_LENGTH);
    }
    if (in.readableBytes() < FrameCodec.HEADER_LENGTH + bodyLength) {
      return;
    }
    in.skipBytes(FrameCodec.HEADER_LENGTH);
    out.add(in.readRetainedSlice((int) bodyLength));
  }
}
