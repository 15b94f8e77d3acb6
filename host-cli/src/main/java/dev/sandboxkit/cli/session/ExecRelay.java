package dev.sandboxkit.cli.session;

import dev.sandboxkit.lifecycle.ExecutionResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One admitted execution's relay in the daemon: the command's stdout/stderr become frames to the
 * client (one writer at a time, whole frames only); the client's stdin frames feed the command's
 * stdin through a bounded queue (back-pressure: at most {@value #QUEUED} frames wait); the client
 * going away before the exit frame cancels the execution (B10). Output written after the client
 * is gone is dropped, never blocking the command.
 */
final class ExecRelay {
  private static final int QUEUED = 16;
  private static final byte[] EOF = new byte[0];

  private final OutputStream client;
  private final Object writeLock = new Object();
  private final BlockingQueue<byte[]> stdinQueue = new ArrayBlockingQueue<>(QUEUED);
  private volatile boolean clientGone;
  private volatile Runnable onClientGone = () -> {};

  ExecRelay(OutputStream client) {
    this.client = client;
  }

  OutputStream stdout() {
    return new FrameOut(Wire.STDOUT);
  }

  OutputStream stderr() {
    return new FrameOut(Wire.STDERR);
  }

  /** The command's stdin: the client's stdin frames, end of file at an empty frame or disconnect. */
  InputStream stdin() {
    return new InputStream() {
      private byte[] chunk;
      private int pos;
      private boolean eof;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
          return 0;
        }
        while (!eof && (chunk == null || pos == chunk.length)) {
          try {
            chunk = stdinQueue.take();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("stdin relay interrupted");
          }
          pos = 0;
          if (chunk == EOF) {
            eof = true;
          }
        }
        if (eof) {
          return -1;
        }
        int n = Math.min(len, chunk.length - pos);
        System.arraycopy(chunk, pos, b, off, n);
        pos += n;
        return n;
      }
    };
  }

  /** Reads the client's frames on a thread of its own until the client closes or goes away. */
  void pumpClientFrames(InputStream in, Runnable cancel) {
    onClientGone = cancel;
    Thread t = new Thread(() -> {
      boolean stdinOpen = true;
      try {
        Wire.Frame f;
        while ((f = Wire.readFrame(in)) != null) {
          if (f.kind() == Wire.STDIN && stdinOpen) {
            if (f.payload().length == 0) {
              stdinOpen = false;
              offer(EOF);
            } else {
              offer(f.payload());
            }
          }
          // other kinds: ignored (forward compatibility)
        }
      } catch (IOException e) {
        // a broken client counts as gone
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (stdinOpen) {
        stdinQueue.clear();
        stdinQueue.offer(EOF);
      }
      if (!finished) {
        clientGone = true;
        onClientGone.run();
      }
    }, "sk-daemon-stdin");
    t.setDaemon(true);
    t.start();
  }

  private volatile boolean finished;

  private void offer(byte[] b) throws InterruptedException {
    while (!stdinQueue.offer(b, 100, TimeUnit.MILLISECONDS)) {
      if (finished) {
        return;
      }
    }
  }

  /** Sends the exit frame (if the client is still there). */
  void exit(ExecutionResult r) {
    finished = true;
    stdinQueue.clear();
    stdinQueue.offer(EOF);
    try {
      byte[] json = Wire.encodeExit(new Wire.Exit(r.exitCode(), r.errorMessage(), r.extendedError(),
          r.failurePhase()));
      frame(Wire.EXIT, json, 0, json.length);
    } catch (IOException e) {
      // the client is gone: nobody to tell
    }
  }

  /**
   * Writes the admission line ({@code OK exec-N}); output the command wrote before it (it may start
   * writing as soon as it is started) waits, so the line always comes first.
   */
  void admit(String line) throws IOException {
    synchronized (writeLock) {
      try {
        Wire.writeLine(client, line);
      } finally {
        admitted = true;
        writeLock.notifyAll();
      }
    }
  }

  private boolean admitted;

  private void frame(int kind, byte[] b, int off, int len) throws IOException {
    synchronized (writeLock) {
      while (!admitted) {
        try {
          writeLock.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("interrupted before admission");
        }
      }
      if (clientGone) {
        return;
      }
      try {
        Wire.writeFrame(client, kind, b, off, len);
      } catch (IOException e) {
        clientGone = true;
        onClientGone.run();
        throw e;
      }
    }
  }

  private final class FrameOut extends OutputStream {
    private final int kind;

    FrameOut(int kind) {
      this.kind = kind;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      int max = 1 << 20;
      try {
        for (int done = 0; done < len; done += max) {
          frame(kind, b, off + done, Math.min(max, len - done));
        }
      } catch (IOException e) {
        // the client went away: the execution is being cancelled; drop the output
      }
    }
  }
}
