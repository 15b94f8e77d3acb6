package dev.sandboxkit.guest.executor;

import dev.sandboxkit.guest.listener.InboundQueue;
import io.netty.buffer.ByteBuf;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Copies the stdin channel to the job's stdin and closes the job's stdin at the channel's end. It
 * pulls one read cycle at a time from the channel (asking for the next one while it writes the
 * current one to the job, so at most two are buffered), so a job that does not read its stdin stops
 * the host's stdin (socket backpressure) without stopping anything else. When the job has closed its
 * stdin, the rest of the channel is read and dropped so the host's writer can finish.
 *
 * <p>When the job's stdin is the JDK's process pipe (a buffered stream over a {@link
 * FileOutputStream}, found as {@link PipeSource} finds the output pipes) the received buffers are
 * written to the pipe's file channel as they are, several in one gathering write ({@code writev}):
 * no copy in the JVM. Any other stream gets them through one reused array.
 */
final class InputPump implements Runnable {
  private static final System.Logger LOG = System.getLogger(InputPump.class.getName());

  /** Bytes written to the job per call: queued reads are coalesced up to this (fewer pipe writes). */
  static final int CHUNK = 256 * 1024;
  /** Most buffers in one gathering write (Linux's IOV_MAX is 1024). */
  static final int MAX_GATHER = 64;

  private final InboundQueue queue;
  private final OutputStream out;
  private final CountDownLatch done = new CountDownLatch(1);
  private volatile boolean stopped;

  /** Takes over {@code queue} ({@link InboundQueue#claim()}): from here on it is this pump's to drain and close. */
  InputPump(InboundQueue queue, OutputStream out) {
    this.queue = queue.claim();
    this.out = out;
  }

  Thread start() {
    Thread t = new Thread(this, "sk-stdin-pump");
    t.setDaemon(true);
    t.start();
    return t;
  }

  @Override
  public void run() {
    boolean broken = false;
    long forwarded = 0;
    // Allocated with the first data: most jobs get no input (the host's stdin is empty or closed),
    // and 256 KiB in the agent's small heap would bring its next collection closer for nothing.
    byte[] chunk = null;
    FileOutputStream file = PipeSource.fileUnder(out);
    FileChannel pipe = file != null ? file.getChannel() : null;
    List<ByteBuf> batch = new ArrayList<>();
    try {
      while (!stopped) {
        if (queue.isEmpty()) {
          queue.requestMore();
        }
        Object item = queue.poll(100);
        if (item == null) {
          continue;
        }
        if (item == InboundQueue.END) {
          break;
        }
        if (queue.isEmpty()) {
          // Ask for the next read cycle now, so the socket is read while this one goes to the job.
          queue.requestMore();
        }
        ByteBuf b = (ByteBuf) item;
        if (pipe != null) {
          batch.add(b);
          try {
            if (!broken) {
              forwarded += gather(batch, pipe);
            } else {
              drop(batch);
            }
          } catch (IOException e) {
            broken = true;
            LOG.log(System.Logger.Level.DEBUG,
                "the job closed its stdin after {0} bytes ({1}); dropping the rest", forwarded, e.toString());
          } finally {
            batch.forEach(ByteBuf::release);
            batch.clear();
          }
          continue;
        }
        if (chunk == null) {
          chunk = new byte[CHUNK];
        }
        try {
          // Copy this buffer and those already queued behind it (whole ones, while they fit) into
          // one array: one pipe write per batch. (ByteBuf.readBytes(OutputStream) of a direct buffer
          // would write in 8 KiB pieces.)
          while (true) {
            int n = 0;
            while (b.isReadable() && n < chunk.length) {
              int k = Math.min(b.readableBytes(), chunk.length - n);
              b.readBytes(chunk, n, k);
              n += k;
              Object next = b.isReadable() ? null : queue.peek();
              if (next instanceof ByteBuf && ((ByteBuf) next).readableBytes() <= chunk.length - n) {
                b.release();
                b = (ByteBuf) queue.poll(0);
              }
            }
            if (!broken) {
              out.write(chunk, 0, n);
              out.flush();
              forwarded += n;
            }
            if (!b.isReadable()) {
              break;
            }
          }
        } catch (IOException e) {
          broken = true;
          LOG.log(
              System.Logger.Level.DEBUG,
              "the job closed its stdin after {0} bytes ({1}); dropping the rest",
              forwarded,
              e.getMessage());
        } finally {
          b.release();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeQuietly();
      queue.close();
      done.countDown();
    }
  }

  /**
   * Takes the buffers queued behind {@code batch}'s first (up to {@link #MAX_GATHER} and {@link
   * #CHUNK} bytes past the first) and writes them all to {@code pipe}, whole; returns the bytes
   * written. The caller releases the batch.
   */
  private long gather(List<ByteBuf> batch, FileChannel pipe) throws IOException, InterruptedException {
    long queued = batch.get(0).readableBytes();
    Object next;
    while (batch.size() < MAX_GATHER && (next = queue.peek()) instanceof ByteBuf
        && queued + ((ByteBuf) next).readableBytes() <= CHUNK + batch.get(0).readableBytes()) {
      ByteBuf taken = (ByteBuf) queue.poll(0);
      batch.add(taken);
      queued += taken.readableBytes();
    }
    if (queue.isEmpty()) {
      queue.requestMore(); // the socket is read while this batch goes to the job
    }
    List<ByteBuffer> views = new ArrayList<>(batch.size());
    for (ByteBuf b : batch) {
      for (ByteBuffer v : b.nioBuffers()) {
        views.add(v);
      }
    }
    ByteBuffer[] bufs = views.toArray(new ByteBuffer[0]);
    long written = 0;
    int first = 0;
    while (first < bufs.length) {
      written += pipe.write(bufs, first, bufs.length - first);
      while (first < bufs.length && !bufs[first].hasRemaining()) {
        first++;
      }
    }
    return written;
  }

  /** The job has closed its stdin: take what is queued and let it go. */
  private void drop(List<ByteBuf> batch) throws InterruptedException {
    Object next;
    while ((next = queue.peek()) instanceof ByteBuf) {
      batch.add((ByteBuf) queue.poll(0));
    }
  }

  private void closeQuietly() {
    try {
      out.close();
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "closing the job''s stdin: {0}", e.getMessage());
    }
  }

  /** Stops pulling from the channel (the job is over). */
  void stop() {
    stopped = true;
  }

  boolean awaitDone(long millis) throws InterruptedException {
    return done.await(millis, TimeUnit.MILLISECONDS);
  }
}
