package dev.sandboxkit.lifecycle.internal.bridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.auth.ChannelRole;
import dev.sandboxkit.auth.Nonce;
import dev.sandboxkit.protocol.ControlMessage;
import dev.sandboxkit.protocol.FrameCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The host bridge against a scripted fake guest on real Unix sockets. */
@Timeout(30)
class BridgeTest {
  static final String ID = "exec-1";
  @TempDir Path dir;
  Nonce nonce;

  @BeforeEach
  void nonce() throws Exception {
    nonce = Nonce.generate();
  }

  GuestConnection connect(FakeGuest g) throws IOException {
    return GuestConnection.open(g.address, nonce, Duration.ofSeconds(5));
  }

  ExecOutcome exec(GuestConnection c, long timeoutMs, byte[] stdin) throws InterruptedException {
    return new ExecCall().execute(c, ID, "cmd", "", timeoutMs,
        stdin == null ? null : new ByteArrayInputStream(stdin), null, null);
  }

  @Test
  void happyPath() throws Exception {
    try (FakeGuest g = new FakeGuest(dir, nonce, guest -> {
      guest.hello(new byte[0]);
      ControlMessage m = guest.receive();
      assertEquals(new ControlMessage.Exec(ID, "cmd", "", 5000), m);
      byte[] in = guest.in(ChannelRole.STDIN).readAllBytes(); // until the host half-closes
      guest.write(ChannelRole.STDOUT, new String(in, StandardCharsets.UTF_8).toUpperCase());
      guest.write(ChannelRole.STDERR, "warn");
      guest.endOutput();
      guest.send(new ControlMessage.Exit(ID, 0, ""));
    }); GuestConnection c = connect(g)) {
      ExecOutcome o = exec(c, 5000, "hello".getBytes(StandardCharsets.UTF_8));
      g.awaitScript();
      assertEquals(ExecOutcome.Kind.EXITED, o.kind());
      assertEquals(0, o.exitCode());
      assertEquals("", o.errorMessage());
      assertEquals("HELLO", new String(o.stdout(), StandardCharsets.UTF_8));
      assertEquals("warn", new String(o.stderr(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void residualBytesAfterReadyAreKept() throws Exception {
    // A Ping right behind Ready in the same write: with one persistent buffer it is answered.
    CountDownLatch pong = new CountDownLatch(1);
    try (FakeGuest g = new FakeGuest(dir, nonce, guest -> {
      guest.hello(FrameCodec.encode(ControlMessage.PING));
      assertTrue(guest.receive() instanceof ControlMessage.Exec);
      assertEquals(ControlMessage.PONG, guest.receive());
      pong.countDown();
      guest.endOutput();
      guest.send(new ControlMessage.Exit(ID, 7, "seven"));
    }); GuestConnection c = connect(g)) {
      assertTrue(c.control.buffered() > 0, "bytes after Ready must stay buffered");
      ExecOutcome o = exec(c, 0, null);
      g.awaitScript();
      assertTrue(pong.await(1, TimeUnit.SECONDS));
      assertEquals(7, o.exitCode());
      assertEquals("seven", o.errorMessage());
    }
  }

  @Test
  void exitWithForeignExecIdIsAProtocolError() throws Exception {
    try (FakeGuest g = new FakeGuest(dir, nonce, guest -> {
      guest.hello(new byte[0]);
      guest.receive();
      guest.write(ChannelRole.STDOUT, "partial");
      guest.send(new ControlMessage.Exit("someone-else", 0, ""));
    }); GuestConnection c = connect(g)) {
      ExecOutcome o = exec(c, 0, null);
      g.awaitScript();
      assertEquals(ExecOutcome.Kind.FAILED, o.kind());
      assertEquals(-1, o.exitCode());
      assertTrue(o.errorMessage().contains("exec_id someone-else, expected " + ID), o.errorMessage());
    }
  }

  @Test
  void pingDuringExecIsAnsweredAndOthersIgnored() throws Exception {
    try (FakeGuest g = new FakeGuest(dir, nonce, guest -> {
      guest.hello(new byte[0]);
      guest.receive();
      guest.send(ControlMessage.PONG);
      guest.send(ControlMessage.STREAMS_READY); // unexpected: logged and ignored
      guest.send(ControlMessage.PING);
      assertEquals(ControlMessage.PONG, guest.receive());
      guest.endOutput();
      guest.send(new ControlMessage.Exit(ID, 0, ""));
    }); GuestConnection c = connect(g)) {
      ExecOutcome o = exec(c, 0, null);
      g.awaitScript();
      assertEquals(ExecOutcome.Kind.EXITED, o.kind());
      assertEquals(0, o.exitCode());
    }
  }

  @Test
  void badPreambleIsRefused() throws Exception {
    try (FakeGuest g = new FakeGuest(dir, nonce, guest -> {
      guest.out(ChannelRole.CONTROL).write("XXXX\1\0\0\0".getBytes(StandardCharsets.ISO_8859_1));
    })) {
      BridgeException e = assertThrows(BridgeException.class, () -> connect(g));
      assertTrue(e.getMessage().startsWith("guest protocol handshake failed: bad magic"), e.getMessage());
      assertTrue(e.getMessage().endsWith("(refusing connection)"), e.getMessage());
    }
  }

  @Test
  void versionMismatchIsRefused() throws Exception {
    try (FakeGuest g = new FakeGuest(dir, nonce, guest -> {
      guest.out(ChannelRole.CONTROL).write("WSBP\2\0\0\0".getBytes(StandardCharsets.ISO_8859_1));
    })) {
      BridgeException e = assertThrows(BridgeException.class, () -> connect(g));
      assertTrue(e.getMessage().contains("version mismatch, expected 1, got 2"), e.getMessage());
    }
  }

  @Test
  void somethingOtherThanReadyIsRefused() throws Exception {
    try (FakeGuest g = new FakeGuest(dir, nonce, guest -> {
      guest.out(ChannelRole.CONTROL).write(dev.sandboxkit.protocol.Preamble.bytes());
      guest.send(ControlMessage.PING);
    })) {
      BridgeException e = assertThrows(BridgeException.class, () -> connect(g));
      assertEquals("expected Ready from the guest, got Ping", e.getMessage());
    }
  }

  @Test
  void silentGuestTimesOutOnThePreamble() throws Exception {
    try (FakeGuest g = new FakeGuest(dir, nonce, guest -> { })) {
      BridgeException e = assertThrows(BridgeException.class,
          () -> GuestConnection.open(g.address, nonce, Duration.ofMillis(300)));
      assertTrue(e instanceof BridgeException.Timeout);
      assertTrue(e.getMessage().contains("reading the guest preamble"), e.getMessage());
    }
  }

  @Test
  void nothingListeningIsAConnectError() {
    BridgeException e = assertThrows(BridgeException.class, () -> GuestConnection.open(
        java.net.UnixDomainSocketAddress.of(dir.resolve("none.sock")), nonce, Duration.ofSeconds(1)));
    assertTrue(e.getMessage().startsWith("connect control to "), e.getMessage());
  }

  @Test
  void watchdogReturnsPartialOutput() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (FakeGuest g = new FakeGuest(dir, nonce, guest -> {
      guest.hello(new byte[0]);
      guest.receive();
      guest.write(ChannelRole.STDOUT, "so far");
      release.await(10, TimeUnit.SECONDS); // never sends Exit
    }); GuestConnection c = connect(g)) {
      ExecOutcome o = new ExecCall(ExecCall.CAPTURE_CAP, Duration.ofMillis(200), Duration.ofSeconds(1))
          .execute(c, ID, "cmd", "", 100, null, null, null);
      release.countDown();
      assertEquals(ExecOutcome.Kind.WATCHDOG, o.kind());
      assertEquals(-1, o.exitCode());
      assertEquals("the guest did not report the end of the command within 200 ms of its 100 ms timeout"
          + " (a stopped or wedged agent?)", o.errorMessage());
      assertEquals("so far", new String(o.stdout(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void zeroAndMaxTimeoutMeanNoWatchdog() {
    assertTrue(ExecCall.infinite(0));
    assertTrue(ExecCall.infinite(0xFFFF_FFFFL));
    assertTrue(!ExecCall.infinite(1));
  }

  @Test
  void postExitDrainGraceCutsALeakedPipe() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (FakeGuest g = new FakeGuest(dir, nonce, guest -> {
      guest.hello(new byte[0]);
      guest.receive();
      guest.write(ChannelRole.STDOUT, "before exit");
      guest.send(new ControlMessage.Exit(ID, 0, "")); // stdout never reaches EOF
      release.await(10, TimeUnit.SECONDS);
    }); GuestConnection c = connect(g)) {
      long start = System.nanoTime();
      ExecOutcome o = new ExecCall(ExecCall.CAPTURE_CAP, Duration.ofSeconds(30), Duration.ofMillis(300))
          .execute(c, ID, "cmd", "", 0, null, null, null);
      release.countDown();
      assertTrue(System.nanoTime() - start < 5_000_000_000L);
      assertEquals(ExecOutcome.Kind.EXITED, o.kind());
      assertEquals(0, o.exitCode());
      assertEquals("before exit", new String(o.stdout(), StandardCharsets.UTF_8));
      assertTrue(o.detail().contains("after the command exited"), o.detail());
    }
  }

  @Test
  void truncationNote() throws Exception {
    try (FakeGuest g = new FakeGuest(dir, nonce, guest -> {
      guest.hello(new byte[0]);
      guest.receive();
      guest.write(ChannelRole.STDOUT, "0123456789abcdef");
      guest.write(ChannelRole.STDERR, "0123456789");
      guest.endOutput();
      guest.send(new ControlMessage.Exit(ID, 3, "guest says"));
    }); GuestConnection c = connect(g)) {
      ExecOutcome o = new ExecCall(10, Duration.ofSeconds(30), Duration.ofSeconds(5))
          .execute(c, ID, "cmd", "", 0, null, null, null);
      g.awaitScript();
      assertEquals(3, o.exitCode());
      assertEquals("guest says; guest stdout exceeded the 10-byte capture cap and was truncated", o.errorMessage());
      assertArrayEquals("0123456789".getBytes(StandardCharsets.UTF_8), o.stdout());
      assertEquals("0123456789", new String(o.stderr(), StandardCharsets.UTF_8), "exactly the cap is not truncation");
    }
  }

  @Test
  void liveStreamsGetEverythingWithoutCap() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (FakeGuest g = new FakeGuest(dir, nonce, guest -> {
      guest.hello(new byte[0]);
      guest.receive();
      guest.write(ChannelRole.STDOUT, "x".repeat(100));
      guest.endOutput();
      guest.send(new ControlMessage.Exit(ID, 0, ""));
    }); GuestConnection c = connect(g)) {
      ExecOutcome o = new ExecCall(10, Duration.ofSeconds(30), Duration.ofSeconds(5))
          .execute(c, ID, "cmd", "", 0, null, out, null);
      g.awaitScript();
      assertEquals(0, o.exitCode());
      assertEquals(100, out.size());
      assertEquals(0, o.stdout().length);
    }
  }

  @Test
  void controlClosedBeforeExitIsATransportError() throws Exception {
    try (FakeGuest g = new FakeGuest(dir, nonce, guest -> {
      guest.hello(new byte[0]);
      guest.receive();
      guest.write(ChannelRole.STDOUT, "partial");
      guest.channels.get(ChannelRole.CONTROL).close();
    }); GuestConnection c = connect(g)) {
      ExecOutcome o = exec(c, 0, null);
      g.awaitScript();
      assertEquals(ExecOutcome.Kind.FAILED, o.kind());
      assertTrue(o.errorMessage().contains("control connection closed by the guest while waiting for Exit"),
          o.errorMessage());
    }
  }

  @Test
  void hostClosingTheConnectionDuringAnExecutionIsATransportErrorNotACrash() throws Exception {
    // Sandbox.close() from another thread closes the control channel while the exec thread waits
    // for Exit: that must come back as FAILED (a closed channel), not as a ClosedSelectorException.
    CountDownLatch execSent = new CountDownLatch(1);
    try (FakeGuest g = new FakeGuest(dir, nonce, guest -> {
      guest.hello(new byte[0]);
      guest.receive();
      execSent.countDown();
    }); GuestConnection c = connect(g)) {
      Thread closer = new Thread(() -> {
        try {
          execSent.await();
          Thread.sleep(200); // let the exec thread park in select(); either order must give FAILED
        } catch (InterruptedException e) {
          return;
        }
        c.close();
      });
      closer.start();
      ExecOutcome o = exec(c, 0, null);
      closer.join(10_000);
      assertEquals(ExecOutcome.Kind.FAILED, o.kind(), o.toString());
      assertTrue(o.errorMessage().contains("closed"), o.errorMessage());
    }
  }

  @Test
  void resetBeforeAnyDataCountsAsEofOverTcp() throws Exception {
    try (FakeGuest g = new FakeGuest(dir, nonce, true, guest -> {
      guest.hello(new byte[0]);
      guest.receive();
      java.nio.channels.SocketChannel s = guest.channels.get(ChannelRole.STDOUT);
      s.setOption(java.net.StandardSocketOptions.SO_LINGER, 0);
      s.close(); // RST with no data
      guest.channels.get(ChannelRole.STDERR).shutdownOutput();
      guest.send(new ControlMessage.Exit(ID, 0, ""));
    }); GuestConnection c = connect(g)) {
      assertTrue(c.stdout.getOption(java.net.StandardSocketOptions.TCP_NODELAY), "TCP_NODELAY");
      ExecOutcome o = exec(c, 0, null);
      g.awaitScript();
      assertEquals(ExecOutcome.Kind.EXITED, o.kind());
      assertEquals(0, o.exitCode(), o.errorMessage());
      assertEquals("", o.errorMessage());
    }
  }

  @Test
  void oversizedCommandIsNotSent() throws Exception {
    try (FakeGuest g = new FakeGuest(dir, nonce, guest -> guest.hello(new byte[0]));
        GuestConnection c = connect(g)) {
      String huge = "x".repeat(FrameCodec.MAX_FRAME_LENGTH);
      ExecOutcome o = new ExecCall().execute(c, ID, huge, "", 0, null, null, null);
      assertEquals(ExecOutcome.Kind.FAILED, o.kind());
      assertTrue(o.errorMessage().startsWith("the command is too large to send"), o.errorMessage());
    }
  }
}
