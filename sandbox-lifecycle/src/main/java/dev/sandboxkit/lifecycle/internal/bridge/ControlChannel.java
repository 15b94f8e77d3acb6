package dev.sandboxkit.lifecycle.internal.bridge;

import dev.sandboxkit.protocol.ControlMessage;
import dev.sandboxkit.protocol.DecodeResult;
import dev.sandboxkit.protocol.FrameCodec;
import dev.sandboxkit.protocol.ProtocolException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * The control socket in non-blocking mode with one persistent read buffer (§8 item 9): bytes that
 * arrive after the preamble, after Ready or after any frame stay buffered for the next read. Every
 * read and write is bounded by a {@link Deadline}. Used by one thread at a time.
 */
final class ControlChannel implements AutoCloseable {
  private static final int MAX_BUFFER = FrameCodec.HEADER_LENGTH + FrameCodec.MAX_FRAME_LENGTH;

  private final SocketChannel channel;
  private final Selector selector;
  private final SelectionKey key;
  private byte[] buf = new byte[4096];
  private int len;
  private volatile boolean woken;

  ControlChannel(SocketChannel channel) throws IOException {
    this.channel = channel;
    channel.configureBlocking(false);
    this.selector = Selector.open();
    this.key = channel.register(selector, 0);
  }

  /** Bytes buffered but not consumed yet (for tests and diagnostics). */
  int buffered() {
    return len;
  }

  /** Reads exactly {@code n} bytes (from the buffer first). */
  byte[] readExactly(int n, Deadline deadline, String what) throws IOException {
    while (len < n) {
      fill(deadline, what);
    }
    byte[] out = new byte[n];
    System.arraycopy(buf, 0, out, 0, n);
    consume(n);
    return out;
  }

  /** Reads one whole control message. */
  ControlMessage readMessage(Deadline deadline, String what) throws IOException {
    while (true) {
      DecodeResult r;
      try {
        r = FrameCodec.decode(buf, 0, len);
      } catch (ProtocolException e) {
        throw new BridgeException("decode control message while " + what + ": " + e.getMessage(), e);
      }
      if (r instanceof DecodeResult.Decoded) {
        DecodeResult.Decoded d = (DecodeResult.Decoded) r;
        consume(d.consumed());
        return d.message();
      }
      fill(deadline, what);
    }
  }

  /** Writes one message, bounded by the deadline. */
  void write(ControlMessage message, Deadline deadline, String what) throws IOException {
    writeBytes(FrameCodec.encode(message), deadline, what);
  }

  void writeBytes(byte[] frame, Deadline deadline, String what) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(frame);
    while (b.hasRemaining()) {
      if (channel.write(b) > 0) {
        continue;
      }
      await(SelectionKey.OP_WRITE, deadline, "timeout writing control (" + what + ")");
    }
  }

  private void fill(Deadline deadline, String what) throws IOException {
    if (len == buf.length) {
      if (buf.length >= MAX_BUFFER) {
        throw new BridgeException("control buffer overflow while " + what);
      }
      byte[] bigger = new byte[(int) Math.min((long) buf.length * 2, MAX_BUFFER)];
      System.arraycopy(buf, 0, bigger, 0, len);
      buf = bigger;
    }
    while (true) {
      int n = channel.read(ByteBuffer.wrap(buf, len, buf.length - len));
      if (n < 0) {
        throw new EOFException("control connection closed by the guest while " + what);
      }
      if (n > 0) {
        len += n;
        return;
      }
      await(SelectionKey.OP_READ, deadline, "timeout " + what);
    }
  }

  /**
   * From any thread: makes the current (or next) wait for input throw {@link BridgeException.Woken}
   * once, so the reading thread can act (e.g. send Cancel). A wait to write is not interrupted.
   */
  void wakeup() {
    woken = true;
    selector.wakeup();
  }

  private void await(int op, Deadline deadline, String timeoutMessage) throws IOException {
    try {
      awaitOpen(op, deadline, timeoutMessage);
    } catch (java.nio.channels.ClosedSelectorException | java.nio.channels.CancelledKeyException e) {
      // close() from another thread (the sandbox is closing): the same as a closed channel.
      throw new EOFException("the control connection was closed by the host (the sandbox is closing)");
    }
  }

  private void awaitOpen(int op, Deadline deadline, String timeoutMessage) throws IOException {
    key.interestOps(op);
    try {
      while (true) {
        if (op == SelectionKey.OP_READ && woken) {
          woken = false;
          throw new BridgeException.Woken();
        }
        long ms = deadline.remainingMillis();
        if (ms == 0) {
          throw new BridgeException.Timeout(timeoutMessage);
        }
        int ready = ms == Long.MAX_VALUE ? selector.select() : selector.select(ms);
        selector.selectedKeys().clear();
        if (ready > 0) {
          return;
        }
        if (!channel.isOpen()) {
          throw new EOFException("control channel closed");
        }
      }
    } finally {
      if (key.isValid()) {
        key.interestOps(0);
      }
    }
  }

  private void consume(int n) {
    System.arraycopy(buf, n, buf, 0, len - n);
    len -= n;
  }

  @Override
  public void close() {
    try {
      selector.close();
    } catch (IOException ignored) {
      // best effort
    }
    try {
      channel.close();
    } catch (IOException ignored) {
      // best effort
    }
  }
}
