package dev.sandboxkit.guest.executor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Platform;
import dev.sandboxkit.guest.listener.InboundQueue;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The stdin pump into a real process: the gathering path on the JDK's pipe, and the array path. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InputPumpTest {

  @Test
  void theJobsStdinPipeIsFoundUnderTheJdksStream() throws Exception {
    assumeTrue(Platform.isLinux());
    assertTrue(PipeSource.JdkFields.available(), "java.io is opened to the agent (surefire argLine, the jar's Add-Opens)");
    Process p = new ProcessBuilder("cat").start();
    try {
      assertNotNull(PipeSource.fileUnder(p.getOutputStream()), "gathering writes need the pipe's file");
    } finally {
      p.destroyForcibly().waitFor();
    }
  }

  @Test
  void manyBuffersReachTheJobExactlyAndInOrder() throws Exception {
    assumeTrue(Platform.isLinux());
    byte[] data = new byte[3 * 1024 * 1024 + 17];
    new Random(3).nextBytes(data);
    Process p = new ProcessBuilder("cat").start();
    try {
      EmbeddedChannel ch = new EmbeddedChannel(new InboundQueue());
      InboundQueue q = ch.pipeline().get(InboundQueue.class);
      // Odd sizes, direct and heap, some empty: coalesced into gathering writes.
      int off = 0;
      int[] sizes = {1, 0, 4096, 70_000, 255, 300_000};
      for (int i = 0; off < data.length; i++) {
        int n = Math.min(sizes[i % sizes.length], data.length - off);
        ByteBuf b = (i % 2 == 0 ? Unpooled.directBuffer(n) : Unpooled.buffer(n)).writeBytes(data, off, n);
        ch.writeInbound(b);
        off += n;
      }
      ch.pipeline().fireUserEventTriggered(io.netty.channel.socket.ChannelInputShutdownEvent.INSTANCE);
      CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
        try {
          ByteArrayOutputStream o = new ByteArrayOutputStream();
          p.getInputStream().transferTo(o);
          return o.toByteArray();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      InputPump pump = new InputPump(q, p.getOutputStream());
      pump.start();
      assertTrue(pump.awaitDone(30_000));
      assertArrayEquals(data, out.get(30, TimeUnit.SECONDS));
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      ch.finishAndReleaseAll();
    } finally {
      p.destroyForcibly().waitFor();
    }
  }

  /**
   * The unix transport has no half-closure: the host's end of stdin closes the channel, and the
   * last read cycle (the pump asks for it while it writes the previous one) may still be queued
   * then. Those bytes are the job's: before the fix the channel's teardown dropped them and the job
   * saw its stdin end early (`wc -c` of 3 MiB + 17 bytes counted 3083840).
   */
  @Test
  void bytesQueuedWhenTheChannelClosesStillReachTheJob() throws Exception {
    byte[] data = new byte[300_017];
    new Random(5).nextBytes(data);
    EmbeddedChannel ch = new EmbeddedChannel(new InboundQueue());
    InboundQueue q = InboundQueue.of(ch);
    ByteArrayOutputStream job = new ByteArrayOutputStream();
    InputPump pump = new InputPump(q, job);
    ByteBuf first = Unpooled.directBuffer().writeBytes(data, 0, 200_000);
    ByteBuf last = Unpooled.buffer().writeBytes(data, 200_000, data.length - 200_000);
    ch.writeInbound(first, last);
    ch.close().syncUninterruptibly();
    assertNull(ch.pipeline().get(InboundQueue.class), "the channel's pipeline is gone before the pump runs");
    pump.start();
    assertTrue(pump.awaitDone(30_000));
    assertArrayEquals(data, job.toByteArray());
    assertEquals(0, first.refCnt());
    assertEquals(0, last.refCnt());
  }
}
