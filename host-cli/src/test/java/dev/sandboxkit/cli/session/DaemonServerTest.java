package dev.sandboxkit.cli.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class DaemonServerTest {
  private static final String SECRET = "0123456789abcdef";
  private Path dir;
  private Path sock;
  private FakeSessionSandbox sandbox;
  private DaemonServer server;
  private CompletableFuture<Optional<String>> served;

  @BeforeEach
  void setUp() throws Exception {
    // short: a Unix socket path is limited to 107 bytes
    dir = Files.createDirectory(Path.of("/tmp", "skd-" + UUID.randomUUID().toString().substring(0, 8)),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    sock = dir.resolve("daemon.sock");
    sandbox = new FakeSessionSandbox();
    start(Duration.ZERO, Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS));
  }

  private void start(Duration idle, java.nio.file.attribute.UserPrincipal owner) throws IOException {
    server = new DaemonServer(sock, SECRET, sandbox, owner, idle);
    server.bind();
    served = CompletableFuture.supplyAsync(server::serve);
  }

  @AfterEach
  void tearDown() throws Exception {
    server.shutdown("test over");
    served.get(10, TimeUnit.SECONDS);
    try (var s = Files.walk(dir)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private DaemonClient client(String secret) {
    return new DaemonClient(sock, secret);
  }

  private static Wire.ExecRequest argv(String... a) {
    return new Wire.ExecRequest(List.of(a), Optional.empty(), "", 0, Map.of());
  }

  private record Ran(Wire.Exit exit, String out, String err) {}

  private Ran run(DaemonClient.Exec e, byte[] stdin) throws IOException {
    e.pumpStdin(stdin == null ? null : new ByteArrayInputStream(stdin));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Wire.Exit exit = e.relay(new DaemonClient.Sink() {
      @Override
      public void stdout(byte[] b) {
        out.writeBytes(b);
      }

      @Override
      public void stderr(byte[] b) {
        err.writeBytes(b);
      }
    });
    e.close();
    return new Ran(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /**
   * Raw connection: sends bytes, returns everything the daemon answers until it closes ("" when
   * it dropped the connection, by a close or a reset).
   */
  private String raw(byte[] send) throws IOException {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(sock));
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      try {
        ch.write(ByteBuffer.wrap(send));
        InputStream in = ChannelStreams.in(ch);
        byte[] buf = new byte[4096];
        int n;
        while ((n = in.read(buf, 0, buf.length)) >= 0) {
          got.write(buf, 0, n);
        }
      } catch (IOException dropped) {
        // reset or broken pipe: dropped
      }
      return got.toString(StandardCharsets.UTF_8);
    }
  }

  @Test
  void theSocketIsOwnerOnly() throws Exception {
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(sock)));
  }

  @Test
  void execRelaysStdinStdoutStderrAndTheExitCode() throws Exception {
    Ran r = run(client(SECRET).exec(argv("cat")), "hello\nworld".getBytes(StandardCharsets.UTF_8));
    assertEquals("hello\nworld", r.out());
    assertEquals(0, r.exit().exitCode());
    Ran e = run(client(SECRET).exec(argv("echo", "a", "b")), null);
    assertEquals("a b\n", e.out());
    assertEquals("e\n", e.err());
    assertEquals(7, run(client(SECRET).exec(argv("exit", "7")), null).exit().exitCode());
  }

  /** A file or pipe stdin goes through its channel in frames of up to 256 KiB: every byte, in order. */
  @Test
  void aFileStdinArrivesExactlyInManyFrames() throws Exception {
    byte[] data = new byte[3 * DaemonClient.Exec.STDIN_FRAME + 7];
    new java.util.Random(11).nextBytes(data);
    Path f = dir.resolve("stdin.bin");
    Files.write(f, data);
    DaemonClient.Exec e = client(SECRET).exec(argv("cat"));
    e.pumpStdin(new java.io.FileInputStream(f.toFile()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Wire.Exit exit = e.relay(new DaemonClient.Sink() {
      @Override
      public void stdout(byte[] b) {
        out.writeBytes(b);
      }

      @Override
      public void stderr(byte[] b) {
      }
    });
    e.close();
    assertEquals(0, exit.exitCode());
    org.junit.jupiter.api.Assertions.assertArrayEquals(data, out.toByteArray());
  }

  @Test
  void aWrongOrMissingSecretIsRefusedBeforeAnything() throws Exception {
    for (String line : List.of("EXEC wrong 1\n", "EXEC\n", "PING\n", "STOP " + SECRET.substring(1) + "\n",
        "STOP " + SECRET + "0\n")) {
      assertEquals("ERR auth\n", raw(line.getBytes(StandardCharsets.US_ASCII)), line);
    }
    DaemonClient.Refused e = assertThrows(DaemonClient.Refused.class, () -> client("bad").exec(argv("cat")));
    assertEquals("auth", e.reason());
    assertEquals(0, sandbox.started.get());
    assertTrue(sandbox.isOpen(), "a STOP without the secret stops nothing");
    assertEquals("PONG", client(SECRET).request("PING", ""));
  }

  @Test
  void aPeerOfAnotherUserIsDroppedUnanswered() throws Exception {
    server.shutdown("restart");
    sandbox = new FakeSessionSandbox();
    // the daemon belongs to "nobody": our own connection is now the foreign one
    start(Duration.ZERO, dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
    assertEquals("", raw(("PING " + SECRET + "\n").getBytes(StandardCharsets.US_ASCII)));
    assertEquals("", raw(("EXEC " + SECRET + " 1\n").getBytes(StandardCharsets.US_ASCII)));
    assertEquals(0, sandbox.started.get());
  }

  @Test
  void oversizedLinesBadVersionsBadRequestsAndUnknownVerbsAreRefused() throws Exception {
    assertEquals("ERR request too large\n", raw(new byte[2048]));
    assertEquals("ERR protocol client v2 != daemon v1\n", raw(("EXEC " + SECRET + " 2\n").getBytes(StandardCharsets.US_ASCII)));
    byte[] line = ("EXEC " + SECRET + " 1\n").getBytes(StandardCharsets.US_ASCII);
    byte[] huge = {0, 0, 0, 2}; // 32 MiB declared: refused from the header
    assertTrue(raw(concat(line, huge)).startsWith("ERR bad request: request of 33554432 bytes"));
    byte[] junk = {5, 0, 0, 0, 'b', 'a', 'd', 'j', 's'};
    assertTrue(raw(concat(line, junk)).startsWith("ERR bad request:"));
    assertEquals("ERR unknown command\n", raw(("WHATEVER " + SECRET + "\n").getBytes(StandardCharsets.US_ASCII)));
    assertEquals(0, sandbox.started.get());
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void aSecondExecWhileOneRunsIsBusyAtOnceAndTheFirstIsUnaffected() throws Exception {
    DaemonClient.Exec first = client(SECRET).exec(argv("cat"));
    first.pumpStdin(new java.io.PipedInputStream(new java.io.PipedOutputStream())); // stdin stays open
    DaemonClient.Refused busy = assertThrows(DaemonClient.Refused.class, () -> client(SECRET).exec(argv("echo", "x")));
    assertEquals("busy", busy.reason());
    assertEquals(1, sandbox.started.get(), "the second was never started");
    first.cancel();
    Ran r = run(first, null);
    assertEquals("", r.out(), "no output of the refused exec crossed into the first");
    assertEquals(1, sandbox.cancelled.get());
    assertEquals("x\n", run(client(SECRET).exec(argv("echo", "x")), null).out(), "admissible again");
  }

  @Test
  void theClientGoingAwayCancelsItsExecution() throws Exception {
    DaemonClient.Exec e = client(SECRET).exec(argv("block"));
    assertTrue(sandbox.blockRunning.await(10, TimeUnit.SECONDS));
    e.close(); // the client dies: no exit frame was seen
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (sandbox.cancelled.get() == 0 && System.nanoTime() < end) {
      Thread.sleep(5);
    }
    assertEquals(1, sandbox.cancelled.get());
  }

  @Test
  void cancelNeedsTheSecretAndTheExecutionId() throws Exception {
    DaemonClient.Exec e = client(SECRET).exec(argv("block"));
    assertTrue(sandbox.blockRunning.await(10, TimeUnit.SECONDS));
    assertThrows(DaemonClient.Refused.class, () -> client("bad").request("CANCEL", e.id()));
    assertEquals("no such execution", assertThrows(DaemonClient.Refused.class,
        () -> client(SECRET).request("CANCEL", "exec-999")).reason());
    assertEquals(0, sandbox.cancelled.get());
    assertEquals("OK", client(SECRET).request("CANCEL", e.id()));
    assertEquals(-1, run(e, null).exit().exitCode());
    assertEquals(1, sandbox.cancelled.get());
  }

  @Test
  void stopClosesTheSandboxAnswersAndEndsTheServer() throws Exception {
    assertEquals("OK stopped", client(SECRET).request("STOP", ""));
    assertEquals(Optional.empty(), served.get(10, TimeUnit.SECONDS));
    assertFalse(sandbox.isOpen());
    assertFalse(Files.exists(sock), "the socket is removed");
    assertThrows(DaemonClient.NotRunning.class, () -> client(SECRET).request("PING", ""));
  }

  @Test
  void anUnconfirmedTeardownIsReportedNotHidden() throws Exception {
    sandbox.closeOutcome = Optional.of("bwrap pid 42 still running");
    assertEquals("teardown bwrap pid 42 still running", assertThrows(DaemonClient.Refused.class,
        () -> client(SECRET).request("STOP", "")).reason());
    assertEquals(Optional.of("bwrap pid 42 still running"), served.get(10, TimeUnit.SECONDS));
  }

  @Test
  void theIdleTimeoutClosesTheSandbox() throws Exception {
    server.shutdown("restart");
    sandbox = new FakeSessionSandbox();
    start(Duration.ofMillis(200), Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS));
    assertEquals(Optional.empty(), served.get(20, TimeUnit.SECONDS));
    assertFalse(sandbox.isOpen());
  }

  @Test
  void unauthenticatedConnectionsAreCapped() throws Exception {
    List<SocketChannel> silent = new ArrayList<>();
    try {
      for (int i = 0; i < DaemonServer.PRE_AUTH; i++) {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(sock));
        silent.add(ch);
      }
      Thread.sleep(200); // let the daemon take them (each holds a pre-auth permit)
      assertEquals("", raw(("PING " + SECRET + "\n").getBytes(StandardCharsets.US_ASCII)),
          "the 33rd is closed unanswered");
      silent.remove(0).close();
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      String reply = "";
      while (reply.isEmpty() && System.nanoTime() < end) {
        reply = raw(("PING " + SECRET + "\n").getBytes(StandardCharsets.US_ASCII));
      }
      assertEquals("PONG\n", reply, "a freed permit lets the next one in");
    } finally {
      for (SocketChannel ch : silent) {
        ch.close();
      }
    }
  }
}
