package dev.sandboxkit.guest.testhost;

import dev.sandboxkit.auth.ChannelRole;
import dev.sandboxkit.auth.Handshake;
import dev.sandboxkit.auth.Nonce;
import dev.sandboxkit.protocol.ControlMessage;
import dev.sandboxkit.protocol.DecodeResult;
import dev.sandboxkit.protocol.FrameCodec;
import dev.sandboxkit.protocol.Preamble;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A minimal host for tests: reads rendezvous.txt, connects channels with nonce+role, validates
 * the preamble and Ready, sends Exec, relays, reads Exit and StreamsReady and reconnects. Uses
 * plain blocking NIO socket channels (read and write on one channel may run concurrently).
 */
public final class TestHost implements AutoCloseable {
  /** Own threads: the common pool has one thread on a 2-core machine and would serialize the relay. */
  private static final java.util.concurrent.ExecutorService IO =
      java.util.concurrent.Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "test-host-io");
            t.setDaemon(true);
            return t;
          });
  private final Path dir;
  private final Nonce nonce;
  private final SocketAddress address;
  private final List<SocketChannel> extra = new ArrayList<>();
  private SocketChannel control;
  private final Map<ChannelRole, SocketChannel> data = new EnumMap<>(ChannelRole.class);
  private ByteBuffer controlBuf = ByteBuffer.allocate(0);
  private ControlMessage.Ready ready;

  private TestHost(Path dir, Nonce nonce, SocketAddress address) {
    this.dir = dir;
    this.nonce = nonce;
    this.address = address;
  }

  /** Waits (bounded) for rendezvous.txt and parses it. */
  public static TestHost rendezvous(Path dir, Nonce nonce, Duration wait) throws Exception {
    long end = System.nanoTime() + wait.toNanos();
    while (true) {
      try {
        String line = Files.readString(dir.resolve("rendezvous.txt"), StandardCharsets.UTF_8).trim();
        return new TestHost(dir, nonce, parse(dir, line));
      } catch (NoSuchFileException e) {
        if (System.nanoTime() - end > 0) {
          throw new IOException("rendezvous.txt did not appear in " + dir + " within " + wait);
        }
        Thread.sleep(20);
      }
    }
  }

  static SocketAddress parse(Path dir, String line) {
    if (line.startsWith("unix:")) {
      return UnixDomainSocketAddress.of(dir.resolve(line.substring(5)));
    }
    int colon = line.lastIndexOf(':');
    return new InetSocketAddress(line.substring(0, colon), Integer.parseInt(line.substring(colon + 1)));
  }

  public SocketAddress address() {
    return address;
  }

  /** A raw connection, nothing written. */
  public SocketChannel rawConnect() throws IOException {
    SocketChannel ch =
        address instanceof UnixDomainSocketAddress
            ? SocketChannel.open(StandardProtocolFamily.UNIX)
            : SocketChannel.open();
    ch.connect(address);
    if (!(address instanceof UnixDomainSocketAddress)) {
      ch.socket().setTcpNoDelay(true);
    }
    return ch;
  }

  /** Connects and declares a role with the right nonce; the channel is not tracked. */
  public SocketChannel connectAs(ChannelRole role) throws IOException {
    SocketChannel ch = rawConnect();
    writeAll(ch, Handshake.encode(nonce, role));
    return ch;
  }

  /** Keeps a hostile or spare connection open until {@link #close()}. */
  public SocketChannel keep(SocketChannel ch) {
    extra.add(ch);
    return ch;
  }

  /** Connects the four channels in the given order, then reads the preamble and Ready. */
  public void open(List<ChannelRole> order) throws IOException {
    for (ChannelRole r : order) {
      SocketChannel ch = connectAs(r);
      if (r == ChannelRole.CONTROL) {
        control = ch;
      } else {
        data.put(r, ch);
      }
    }
    byte[] preamble = readExactly(control, Preamble.LENGTH);
    Preamble.validate(preamble);
    ControlMessage m = readControl();
    if (!(m instanceof ControlMessage.Ready)) {
      throw new IOException("expected Ready, got " + m);
    }
    ready = (ControlMessage.Ready) m;
  }

  /** The agent's {@code Ready} (after {@link #open}). */
  public ControlMessage.Ready ready() {
    return ready;
  }

  public void open() throws IOException {
    open(List.of(ChannelRole.CONTROL, ChannelRole.STDIN, ChannelRole.STDOUT, ChannelRole.STDERR));
  }

  public SocketChannel control() {
    return control;
  }

  public void send(ControlMessage m) throws IOException {
    writeAll(control, FrameCodec.encode(m));
  }

  /** The next control message, or null at end of stream. */
  public ControlMessage readControl() throws IOException {
    while (true) {
      DecodeResult r = FrameCodec.decode(controlBuf);
      if (r instanceof DecodeResult.Decoded) {
        DecodeResult.Decoded d = (DecodeResult.Decoded) r;
        controlBuf.position(controlBuf.position() + d.consumed());
        return d.message();
      }
      ByteBuffer more = ByteBuffer.allocate(4096);
      int n = control.read(more);
      if (n < 0) {
        return null;
      }
      more.flip();
      ByteBuffer joined = ByteBuffer.allocate(controlBuf.remaining() + more.remaining());
      joined.put(controlBuf).put(more).flip();
      controlBuf = joined;
    }
  }

  /** What one job produced. */
  public record Result(int exitCode, String message, byte[] stdout, long stdoutBytes, byte[] stderr) {
    public String out() {
      return new String(stdout, StandardCharsets.UTF_8);
    }

    public String err() {
      return new String(stderr, StandardCharsets.UTF_8);
    }
  }

  /** Runs a job with an in-memory stdin, keeping at most {@code keep} stdout bytes. */
  public Result exec(String script, String cwd, long timeoutMs, byte[] stdin, int keep) throws Exception {
    return exec(script, cwd, timeoutMs, stdin, keep, true);
  }

  /**
   * As above; with {@code endStdin} false the host never ends its stdin (like a host whose own stdin
   * is a terminal), and the agent must close the channel itself once the job is over.
   */
  public Result exec(String script, String cwd, long timeoutMs, byte[] stdin, int keep, boolean endStdin)
      throws Exception {
    String id = "exec-" + System.nanoTime();
    return begin(new ControlMessage.Exec(id, script, cwd, timeoutMs), stdin, keep, endStdin).await();
  }

  /** Runs {@code exec} with an in-memory stdin that ends. */
  public Result exec(ControlMessage.Exec exec, byte[] stdin) throws Exception {
    return begin(exec, stdin, 1 << 20, true).await();
  }

  /**
   * Sends {@code exec} and starts relaying its streams; {@link Pending#await()} reads its Exit and
   * StreamsReady and reconnects the data channels. Control messages other than Exit that arrive
   * meanwhile are kept in {@link Pending#others()}.
   */
  public Pending begin(ControlMessage.Exec exec, byte[] stdin, int keep, boolean endStdin) throws IOException {
    send(exec);
    SocketChannel in = data.remove(ChannelRole.STDIN);
    SocketChannel out = data.remove(ChannelRole.STDOUT);
    SocketChannel err = data.remove(ChannelRole.STDERR);
    CompletableFuture<Void> pump =
        CompletableFuture.runAsync(
            () -> {
              try {
                writeAll(in, stdin);
                if (endStdin) {
                  in.shutdownOutput();
                }
              } catch (IOException e) {
                // the job may end without reading its stdin
              }
            },
            IO);
    CompletableFuture<Drained> o = CompletableFuture.supplyAsync(() -> drain(out, keep), IO);
    CompletableFuture<Drained> e = CompletableFuture.supplyAsync(() -> drain(err, 1 << 20), IO);
    return new Pending(exec.execId(), endStdin, in, out, err, pump, o, e);
  }

  /** A job sent with {@link #begin}. */
  public final class Pending {
    private final String id;
    private final boolean endStdin;
    private final SocketChannel in;
    private final SocketChannel out;
    private final SocketChannel err;
    private final CompletableFuture<Void> pump;
    private final CompletableFuture<Drained> o;
    private final CompletableFuture<Drained> e;
    private final List<ControlMessage> others = new ArrayList<>();

    private Pending(String id, boolean endStdin, SocketChannel in, SocketChannel out, SocketChannel err,
        CompletableFuture<Void> pump, CompletableFuture<Drained> o, CompletableFuture<Drained> e) {
      this.id = id;
      this.endStdin = endStdin;
      this.in = in;
      this.out = out;
      this.err = err;
      this.pump = pump;
      this.o = o;
      this.e = e;
    }

    public String id() {
      return id;
    }

    /** Control messages that came before the Exit (Pongs, say). */
    public List<ControlMessage> others() {
      return others;
    }

    public Result await() throws Exception {
      ControlMessage.Exit exit = null;
      while (exit == null) {
        ControlMessage m = readControl();
        if (m == null) {
          throw new IOException("control closed before Exit");
        }
        if (m instanceof ControlMessage.Exit) {
          exit = (ControlMessage.Exit) m;
        } else {
          others.add(m);
        }
      }
      if (!exit.execId().equals(id)) {
        throw new IOException("Exit for " + exit.execId() + ", expected " + id);
      }
      Drained so = o.get(30, TimeUnit.SECONDS);
      Drained se = e.get(30, TimeUnit.SECONDS);
      pump.get(30, TimeUnit.SECONDS);
      if (!endStdin && !closedByPeer(in, Duration.ofSeconds(10))) {
        throw new IOException("the agent did not close the stdin channel after the job ended");
      }
      in.close();
      out.close();
      err.close();
      ControlMessage next = readControl();
      if (!(next instanceof ControlMessage.StreamsReady)) {
        throw new IOException("expected StreamsReady, got " + next);
      }
      for (ChannelRole r : List.of(ChannelRole.STDERR, ChannelRole.STDIN, ChannelRole.STDOUT)) {
        data.put(r, connectAs(r));
      }
      return new Result(exit.exitCode(), exit.errorMessage(), so.kept, so.total, se.kept);
    }
  }

  public Result exec(String script) throws Exception {
    return exec(script, "", 30_000, new byte[0], 1 << 20);
  }

  private record Drained(byte[] kept, long total) {}

  private static Drained drain(SocketChannel ch, int keep) {
    ByteArrayOutputStream kept = new ByteArrayOutputStream();
    long total = 0;
    ByteBuffer b = ByteBuffer.allocate(64 * 1024);
    try {
      int n;
      while ((n = ch.read(b)) >= 0) {
        b.flip();
        int k = (int) Math.max(0, Math.min(n, keep - kept.size()));
        kept.write(b.array(), 0, k);
        total += n;
        b.clear();
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return new Drained(kept.toByteArray(), total);
  }

  public static void writeAll(SocketChannel ch, byte[] bytes) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }

  public static byte[] readExactly(SocketChannel ch, int n) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(n);
    while (b.hasRemaining()) {
      if (ch.read(b) < 0) {
        throw new IOException("end of stream after " + b.position() + " of " + n + " bytes");
      }
    }
    return b.array();
  }

  /** True when the agent closed {@code ch} (read sees end of stream or a reset) within the wait. */
  public static boolean closedByPeer(SocketChannel ch, Duration wait) throws Exception {
    CompletableFuture<Boolean> f =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return ch.read(ByteBuffer.allocate(1)) < 0;
              } catch (IOException e) {
                return true;
              }
            },
            IO);
    try {
      return f.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      ch.close();
      return false;
    }
  }

  /** Closes the control channel (the agent's clean shutdown signal) and everything else. */
  @Override
  public void close() throws IOException {
    if (control != null) {
      control.close();
    }
    for (SocketChannel c : data.values()) {
      c.close();
    }
    for (SocketChannel c : extra) {
      c.close();
    }
  }

  public Path dir() {
    return dir;
  }
}
