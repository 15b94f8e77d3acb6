package dev.sandboxkit.lifecycle.internal.bridge;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Copies the caller's stdin to the guest's stdin channel on its own thread, then half-closes the
 * channel ({@code shutdownOutput}, EOF for the command). A failure is logged, never fatal: the command
 * may exit without reading its input (§3.1).
 */
final class StdinPump implements Runnable {
  private static final System.Logger LOG = System.getLogger(StdinPump.class.getName());
  /** Read size: 256 KiB, so a pipe or file is moved in few, large socket writes. */
  static final int CHUNK = 256 * 1024;

  private final InputStream in;
  private final SocketChannel channel;
  private final Thread thread;
  private volatile String error;

  StdinPump(InputStream in, SocketChannel channel) {
    this.in = in;
    this.channel = channel;
    this.thread = new Thread(this, "sandboxkit-stdin-pump");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  @Override
  public void run() {
    byte[] b = new byte[CHUNK];
    try (InputStream source = in) {
      while (true) {
        int n = source.read(b);
        if (n < 0) {
          break;
        }
        ByteBuffer buf = ByteBuffer.wrap(b, 0, n);
        while (buf.hasRemaining()) {
          channel.write(buf);
        }
      }
      channel.shutdownOutput();
    } catch (IOException e) {
      if (channel.isOpen()) {
        error = "forwarding stdin to guest failed (continuing): " + e.getMessage();
        LOG.log(System.Logger.Level.WARNING, error);
      }
    }
  }

  void join(long millis) throws InterruptedException {
    thread.join(millis);
  }

  boolean alive() {
    return thread.isAlive();
  }

  String error() {
    return error;
  }
}
