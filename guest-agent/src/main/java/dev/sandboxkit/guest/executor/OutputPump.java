package dev.sandboxkit.guest.executor;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.socket.DuplexChannel;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Copies a job's stdout or stderr to its channel, then half-closes the channel. Backpressure: once
 * the channel's outbound buffer passes its high-water mark the pump waits for the write before it
 * reads the pipe again, so a slow host slows the job instead of growing memory. When the host has
 * gone the rest of the output is read and dropped, so the job never blocks on a full pipe.
 */
final class OutputPump implements Runnable {
  private static final System.Logger LOG = System.getLogger(OutputPump.class.getName());
  /**
   * Relay unit: up to 256 KiB. A pipe hands over at most 64 KiB per read, so the pump keeps reading
   * while more is already waiting ({@code available()}) and sends one buffer for several reads:
   * fewer allocations, copies and event-loop hand-overs per byte.
   */
  static final int CHUNK = 256 * 1024;

  private final InputStream in;
  private final Channel channel;
  private final String label;
  private final CountDownLatch done = new CountDownLatch(1);
  private volatile boolean cut;
  private long relayed;

  OutputPump(InputStream in, Channel channel, String label) {
    this.in = in;
    this.channel = channel;
    this.label = label;
  }

  Thread start() {
    Thread t = new Thread(this, "sk-" + label + "-pump");
    t.setDaemon(true);
    t.start();
    return t;
  }

  @Override
  public void run() {
    byte[] buf = new byte[CHUNK];
    boolean discard = false;
    ChannelFuture last = null;
    try {
      int n;
      while ((n = in.read(buf)) >= 0) {
        if (n == 0 || discard || cut) {
          continue;
        }
        n = fill(buf, n);
        ByteBuf b = channel.alloc().buffer(n).writeBytes(buf, 0, n);
        ChannelFuture f = channel.writeAndFlush(b);
        last = f;
        relayed += n;
        if (!channel.isWritable()) {
          while (!f.await(100) && !cut) {
            // wait for the host to take the data
          }
        }
        if ((f.isDone() && !f.isSuccess()) || !channel.isActive()) {
          discard = true;
          LOG.log(
              System.Logger.Level.INFO,
              "{0} channel is gone after {1} bytes; dropping the rest of the job''s {0}",
              label,
              relayed);
        }
      }
    } catch (IOException e) {
      if (!cut) {
        LOG.log(System.Logger.Level.WARNING, "reading the job''s {0} failed: {1}", label, e.getMessage());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      // shutdownOutput fails whatever is still queued, so let the queue empty first.
      while (last != null && !cut && !last.awaitUninterruptibly(100)) {
        // the host is still taking the data
      }
      if (!cut && channel.isActive() && channel instanceof DuplexChannel) {
        ((DuplexChannel) channel).shutdownOutput().awaitUninterruptibly(2, TimeUnit.SECONDS);
      }
      done.countDown();
    }
  }

  /**
   * Adds to {@code buf[0..n)} whatever the pipe already holds, without blocking, up to the buffer's
   * size. A read error or EOF here is left for the next blocking read to see.
   */
  private int fill(byte[] buf, int n) {
    try {
      while (n < buf.length && in.available() > 0) {
        int k = in.read(buf, n, buf.length - n);
        if (k <= 0) {
          break;
        }
        n += k;
      }
    } catch (IOException e) {
      // reported by the next read in run()
    }
    return n;
  }

  /** Waits until the job's stream ended and everything was handed to the channel. */
  boolean awaitDone(long millis) throws InterruptedException {
    return done.await(millis, TimeUnit.MILLISECONDS);
  }

  /** Gives up: stops relaying and closes the channel (the host sees the stream end). */
  void cut() {
    cut = true;
    channel.close();
    try {
      in.close();
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "closing the job''s {0}: {1}", label, e.getMessage());
    }
  }
}
