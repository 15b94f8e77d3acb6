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
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The four authenticated channels to one guest (§2): control (non-blocking, persistent read buffer,
 * held for the sandbox's life) and stdin/stdout/stderr (blocking, used by pump/drain threads; fresh
 * ones for every execution after the first, {@link #reconnectData}). The nonce is kept in memory
 * only for those reconnects and zeroed by {@link #close()}. Closing closes all four.
 */
public final class GuestConnection implements AutoCloseable {
  /** Preamble read cap (§0). */
  public static final Duration PREAMBLE_CAP = Duration.ofSeconds(10);
  /** Default connect / Ready timeout (§0 GUEST_CONNECT_TIMEOUT). */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  /** The logger, created on first use: the launch path never starts the logging backend. */
  private static final class Log {
    static final System.Logger LOG = System.getLogger(GuestConnection.class.getName());
  }

  final ControlChannel control;
  volatile SocketChannel stdin;
  volatile SocketChannel stdout;
  volatile SocketChannel stderr;
  private final SocketAddress address;
  private final byte[] secret;
  private final Set<String> capabilities;
  private volatile boolean closed;
  private volatile AutoCloseable alias; // the short socket path reconnectData dials; closed with us

  private GuestConnection(ControlChannel control, SocketChannel[] data, SocketAddress address, byte[] secret,
      Set<String> capabilities) {
    this.control = control;
    this.stdin = data[1];
    this.stdout = data[2];
    this.stderr = data[3];
    this.address = address;
    this.secret = secret;
    this.capabilities = capabilities;
  }

  /** The extensions the guest announced in Ready ({@code dev.sandboxkit.protocol.Capabilities}). */
  public Set<String> capabilities() {
    return capabilities;
  }

  /** The capability names of a Ready message (none for an mxc guest). */
  static Set<String> capabilitiesOf(ControlMessage.Ready ready) {
    return java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(ready.capabilities()));
  }

  /**
   * Connects control, stdin, stdout, stderr (in that order, each with nonce + role), reads the
   * preamble within min(timeout, 10 s) and Ready within {@code timeout}. Closes everything on failure.
   */
  public static GuestConnection open(SocketAddress address, Nonce nonce, Duration timeout) throws IOException {
    List<SocketChannel> opened = new ArrayList<>();
    ControlChannel control = null;
    byte[] secret = nonce.toBytes();
    try {
      SocketChannel[] ch = new SocketChannel[4];
      for (ChannelRole role : ChannelRole.values()) {
        SocketChannel c = connect(address, Deadline.after(timeout), role);
        opened.add(c);
        writeHandshake(c, secret, role, address);
        ch[role.wireValue()] = c;
      }
      Log.LOG.log(System.Logger.Level.DEBUG, "4 channels established to {0}", address);
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
      return new GuestConnection(control, ch, address, secret,
          capabilitiesOf((ControlMessage.Ready) first));
    } catch (IOException | RuntimeException e) {
      java.util.Arrays.fill(secret, (byte) 0);
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
    if (address instanceof UnixDomainSocketAddress unix) {
      requireSocket(unix.getPath(), role);
    }
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

  /**
   * The socket path must name a socket itself, not a link to one: where the workload can write the
   * rendezvous folder (a user-namespace sandbox shares the agent's uid), a planted link would make the
   * host dial, with the nonce, whatever the link names, resolved from the host's own root.
   */
  static void requireSocket(Path path, ChannelRole role) throws BridgeException {
    int mode;
    try {
      mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      return; // no POSIX view of the file (not Linux): connect(2) decides
    } catch (java.nio.file.NoSuchFileException e) {
      throw new BridgeException("connect " + role.label() + " to " + path + ": no such socket", e);
    } catch (IOException e) {
      throw new BridgeException("connect " + role.label() + " to " + path + ": " + e.getMessage(), e);
    }
    if ((mode & S_IFMT) != S_IFSOCK) {
      throw new BridgeException("connect " + role.label() + ": " + path + " is not a socket but "
          + ((mode & S_IFMT) == S_IFLNK ? "a symbolic link" : "another kind of file")
          + ": something in the sandbox replaced the guest agent's socket; refusing to connect");
    }
  }

  private static final int S_IFMT = 0170000;
  private static final int S_IFSOCK = 0140000;
  private static final int S_IFLNK = 0120000;

  /**
   * After an execution's Exit: waits for {@code StreamsReady} (answering Ping, skipping Pong and
   * anything else) within {@code deadline}, then replaces the three data channels with fresh ones
   * (each with nonce + role). On failure the old channels are closed and the connection is unusable.
   */
  public void reconnectData(Deadline deadline) throws IOException {
    while (true) {
      ControlMessage m = control.readMessage(deadline, "waiting for StreamsReady");
      if (m instanceof ControlMessage.StreamsReady) {
        break;
      }
      if (m instanceof ControlMessage.Ping) {
        control.write(ControlMessage.PONG, deadline, "answer Ping");
      } else if (!(m instanceof ControlMessage.Pong)) {
        Log.LOG.log(System.Logger.Level.WARNING, "ignoring unexpected control message {0} before StreamsReady", m.type());
      }
    }
    closeData();
    SocketChannel[] ch = new SocketChannel[4];
    try {
      for (ChannelRole role : List.of(ChannelRole.STDIN, ChannelRole.STDOUT, ChannelRole.STDERR)) {
        if (closed) {
          throw new BridgeException("the connection to the guest was closed");
        }
        SocketChannel c = connect(address, deadline, role);
        ch[role.wireValue()] = c;
        writeHandshake(c, secret, role, address);
      }
    } catch (IOException | RuntimeException e) {
      for (SocketChannel c : ch) {
        closeQuietly(c);
      }
      throw e;
    }
    stdin = ch[1];
    stdout = ch[2];
    stderr = ch[3];
    if (closed) {
      closeData();
    }
  }

  private static void writeHandshake(SocketChannel c, byte[] secret, ChannelRole role, SocketAddress address)
      throws IOException {
    byte[] h = new byte[Handshake.LENGTH];
    System.arraycopy(secret, 0, h, 0, Nonce.LENGTH);
    h[Nonce.LENGTH] = role.wireValue();
    ByteBuffer b = ByteBuffer.wrap(h);
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

  /** Closes every channel (the guest sees control EOF and exits) and zeroes the nonce. Idempotent. */
  @Override
  public void close() {
    closed = true;
    control.close();
    closeData();
    java.util.Arrays.fill(secret, (byte) 0);
    AutoCloseable a = alias;
    alias = null;
    if (a != null) {
      try {
        a.close();
      } catch (Exception ignored) {
        // best effort
      }
    }
  }

  /**
   * Keeps {@code a} (a {@link UnixPathAlias} the address goes through) until {@link #close()}:
   * every execution after the first reconnects its data channels to the same address.
   */
  public void keepUntilClosed(AutoCloseable a) {
    alias = a;
    if (closed) {
      close();
    }
  }

  /** Wakes the thread waiting on the control channel (it sees {@link BridgeException.Woken}). */
  public void wakeup() {
    control.wakeup();
  }
}
