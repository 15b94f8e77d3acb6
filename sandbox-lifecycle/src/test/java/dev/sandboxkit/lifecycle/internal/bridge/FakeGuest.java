package dev.sandboxkit.lifecycle.internal.bridge;

import dev.sandboxkit.auth.ChannelRole;
import dev.sandboxkit.auth.Handshake;
import dev.sandboxkit.auth.Nonce;
import dev.sandboxkit.protocol.ControlMessage;
import dev.sandboxkit.protocol.FrameCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A scripted guest on a real Unix socket: accepts 4 channels, verifies nonce+role, then runs a script. */
final class FakeGuest implements AutoCloseable {
  interface Script {
    void run(FakeGuest g) throws Exception;
  }

  final Nonce nonce;
  final java.net.SocketAddress address;
  private final ServerSocketChannel server;
  final Map<ChannelRole, SocketChannel> channels = new EnumMap<>(ChannelRole.class);
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private final Thread thread;

  FakeGuest(Path dir, Nonce nonce, Script script) throws IOException {
    this(dir, nonce, false, script);
  }

  FakeGuest(Path dir, Nonce nonce, boolean tcp, Script script) throws IOException {
    this.nonce = nonce;
    if (tcp) {
      this.server = ServerSocketChannel.open();
      server.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
      this.address = server.getLocalAddress();
    } else {
      this.address = UnixDomainSocketAddress.of(dir.resolve("agent.sock"));
      this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      server.bind(address);
    }
    thread = new Thread(() -> {
      try {
        for (int i = 0; i < 4; i++) {
          SocketChannel c = server.accept();
          ChannelRole role = Handshake.read(Channels.newInputStream(c), nonce);
          channels.put(role, c);
        }
        script.run(this);
        done.complete(null);
      } catch (Throwable t) {
        done.completeExceptionally(t);
      }
    }, "fake-guest");
    thread.setDaemon(true);
    thread.start();
  }

  OutputStream out(ChannelRole role) {
    return Channels.newOutputStream(channels.get(role));
  }

  InputStream in(ChannelRole role) {
    return Channels.newInputStream(channels.get(role));
  }

  void send(ControlMessage m) throws IOException {
    out(ChannelRole.CONTROL).write(FrameCodec.encode(m));
  }

  ControlMessage receive() throws IOException {
    return FrameCodec.readFrame(in(ChannelRole.CONTROL));
  }

  /** Preamble + Ready (+ optional extra bytes in the same write). */
  void hello(byte[] extra) throws IOException {
    byte[] pre = dev.sandboxkit.protocol.Preamble.bytes();
    byte[] ready = FrameCodec.encode(ControlMessage.READY);
    byte[] all = new byte[pre.length + ready.length + extra.length];
    System.arraycopy(pre, 0, all, 0, pre.length);
    System.arraycopy(ready, 0, all, pre.length, ready.length);
    System.arraycopy(extra, 0, all, pre.length + ready.length, extra.length);
    out(ChannelRole.CONTROL).write(all);
  }

  void write(ChannelRole role, String text) throws IOException {
    out(role).write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  void endOutput() throws IOException {
    channels.get(ChannelRole.STDOUT).shutdownOutput();
    channels.get(ChannelRole.STDERR).shutdownOutput();
  }

  /** Rethrows the script's failure, waiting at most 10 s. */
  void awaitScript() throws Exception {
    done.get(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws IOException {
    for (SocketChannel c : channels.values()) {
      c.close();
    }
    server.close();
    if (address instanceof UnixDomainSocketAddress) {
      java.nio.file.Files.deleteIfExists(((UnixDomainSocketAddress) address).getPath());
    }
  }
}
