package dev.sandboxkit.guest.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

/**
 * Who owns what a data channel received: the claimed queue keeps it across the channel's close
 * (nothing lost), the consumer's close and an unclaimed channel's close release it (nothing leaked).
 */
class InboundQueueTest {

  @Test
  void aClaimedQueueKeepsItsBytesAndItsEndAfterTheChannelCloses() throws Exception {
    EmbeddedChannel ch = new EmbeddedChannel(new InboundQueue());
    InboundQueue q = InboundQueue.of(ch).claim();
    ByteBuf a = Unpooled.copiedBuffer(new byte[] {1, 2, 3});
    ch.writeInbound(a);
    ch.close().syncUninterruptibly();
    assertSame(q, InboundQueue.of(ch), "reachable from the channel after its pipeline is gone");
    assertSame(a, q.poll(0));
    assertEquals(1, a.refCnt(), "the consumer's to release");
    a.release();
    assertSame(InboundQueue.END, q.poll(0));
    q.close();
  }

  @Test
  void anUnclaimedQueueReleasesWhatItHeldWhenTheChannelCloses() throws Exception {
    EmbeddedChannel ch = new EmbeddedChannel(new InboundQueue());
    InboundQueue q = InboundQueue.of(ch);
    ByteBuf a = Unpooled.copiedBuffer(new byte[] {1, 2, 3});
    ch.writeInbound(a);
    ch.close().syncUninterruptibly();
    assertEquals(0, a.refCnt(), "nobody will read it: released");
    assertSame(InboundQueue.END, q.claim().poll(0), "a late consumer sees the end at once");
    assertNull(q.poll(0));
  }

  @Test
  void closeReleasesWhatIsQueuedAndWhatArrivesLater() throws Exception {
    EmbeddedChannel ch = new EmbeddedChannel(new InboundQueue());
    InboundQueue q = InboundQueue.of(ch).claim();
    ByteBuf queued = Unpooled.copiedBuffer(new byte[] {1});
    ch.writeInbound(queued);
    q.close();
    assertEquals(0, queued.refCnt());
    ByteBuf late = Unpooled.copiedBuffer(new byte[] {2});
    ch.writeInbound(late);
    assertEquals(0, late.refCnt());
    assertTrue(q.isEmpty());
    ch.close().syncUninterruptibly();
    assertSame(InboundQueue.END, q.poll(0));
  }
}
