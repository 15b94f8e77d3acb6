package dev.sandboxkit.lifecycle.internal.bridge;

import dev.sandboxkit.auth.ChannelRole;
import dev.sandboxkit.auth.Handshake;
import dev.sandboxkit.auth.Nonce;
import dev.sandboxkit.protocol.BadPreambleException;
import dev.sandboxkit.protocol.ControlMessage;
import dev.sandboxkit.protocol.Preamble;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The four authenticated channels to one guest (§2): control (non-blocking, persistent read buffer)
 * and stdin/stdout/stderr (blocking, used by pump/drain threads). Closing closes all four.
 */
public final class GuestConnection implements AutoCloseable {
  /** Preamble read cap (§0). */
  public static final Duration PREAMBLE_CAP = Duration.ofSeconds(10);
  /** Default connect / Ready timeout (§0 GUEST_CONNECT_TIMEOUT). */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private static final System.Logger LOG = System.getLogger(GuestConnection.class.getName());

  final ControlChannel control;
  final SocketChannel stdin;
  final SocketChannel stdout;
  final SocketChannel stderr;

  private GuestConnection(ControlChannel control, SocketChannel stdin, SocketChannel stdout, SocketChannel stderr) {
    this.control = control;
    this.stdin = stdin;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /**
   * Connects control, stdin, stdout, stderr (in that order, each with nonce + role), reads the
   * preamble within min(timeout, 10 s) and Ready within {@code timeout}. Closes everything on failure.
   */
  public static GuestConnection open(SocketAddress address, Nonce nonce, Duration timeout) throws IOException {
    List<SocketChannel> opened = new ArrayList<>();
    ControlChannel control = null;
    try {
      SocketChannel[] ch = new SocketChannel[4];
      for (ChannelRole role : ChannelRole.values()) {
        SocketChannel c = connect(address, Deadline.after(timeout), role);
        opened.add(c);
        writeHandshake(c, nonce, role, address);
        ch[role.wireValue()] = c;
      }
      LOG.log(System.Logger.Level.DEBUG, "4 channels established to {0}", address);
      control = new ControlChannel(ch[0]);
      Duration cap = timeout.compareTo(PREAMBLE_CAP) < 0 ? timeout : PREAMBLE_CAP;
      byte[] preamble = control.readExactly(Preamble.LENGTH, Deadline.after(cap), "reading the guest preamble");
      try {
        Preamble.validate(preamble);
      } catch (BadPreambleException e) {
        throw new BridgeException(
            "guest protocol handshake failed: " + e.getMessage() + " (refusing connection)", e);
      }
      ControlMessage first = control.readMessage(Deadline.after(timeout), "waiting for Ready");
      if (!(first instanceof ControlMessage.Ready)) {
        throw new BridgeException("expected Ready from the guest, got " + first.type());
      }
      return new GuestConnection(control, ch[1], ch[2], ch[3]);
    } catch (IOException | RuntimeException e) {
      if (control != null) {
        control.close();
      }
      for (SocketChannel c : opened) {
        closeQuietly(c);
      }
      throw e;
    }
  }

  private static SocketChannel connect(SocketAddress address, Deadline deadline, ChannelRole role)
      throws IOException {
    boolean tcp = address instanceof InetSocketAddress;
    SocketChannel c = tcp ? SocketChannel.open() : SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      if (tcp) {
        c.setOption(StandardSocketOptions.TCP_NODELAY, true);
      }
      c.configureBlocking(false);
      if (!c.connect(address)) {
        try (Selector s = Selector.open()) {
          c.register(s, SelectionKey.OP_CONNECT);
          while (!c.finishConnect()) {
            long ms = deadline.remainingMillis();
            if (ms == 0) {
              throw new BridgeException.Timeout("timeout connecting " + role.label() + " to " + address);
            }
            s.select(ms == Long.MAX_VALUE ? 0 : ms);
            s.selectedKeys().clear();
          }
        }
      }
      c.configureBlocking(true);
      return c;
    } catch (BridgeException e) {
      closeQuietly(c);
      throw e;
    } catch (IOException e) {
      closeQuietly(c);
      throw new BridgeException("connect " + role.label() + " to " + address + ": " + e.getMessage(), e);
    }
  }

  private static void writeHandshake(SocketChannel c, Nonce nonce, ChannelRole role, SocketAddress address)
      throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Handshake.encode(nonce, role));
    try {
      // 33 bytes on a fresh socket: the send buffer is empty, so this never blocks.
      while (b.hasRemaining()) {
        c.write(b);
      }
    } catch (IOException e) {
      throw new BridgeException("write nonce on " + role.label() + " to " + address + ": " + e.getMessage(), e);
    } finally {
      java.util.Arrays.fill(b.array(), (byte) 0);
    }
  }

  static void closeQuietly(java.io.Closeable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (IOException ignored) {
      // best effort
    }
  }

  /** Closes the three data channels (unblocks pump and drain threads). */
  void closeData() {
    closeQuietly(stdin);
    closeQuietly(stdout);
    closeQuietly(stderr);
  }

  /** Closes every channel; the guest sees control EOF and exits. Idempotent. */
  @Override
  public void close() {
    control.close();
    closeData();
  }
}
