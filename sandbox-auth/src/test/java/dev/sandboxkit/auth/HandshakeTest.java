package dev.sandboxkit.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The 33-byte nonce+role prefix: encode, verify, and the blocking read (in memory and over a socket). */
class HandshakeTest {
  private static final Nonce NONCE = Nonce.fromBytes(NonceTest.sequential());

  /** handshake.example_hex of control-vectors.json (copied from sandbox-protocol's test resources). */
  static byte[] exampleHex() throws IOException {
    try (InputStream in = HandshakeTest.class.getResourceAsStream("/control-vectors.json")) {
      String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      Matcher m = Pattern.compile("\"example_hex\"\\s*:\\s*\"([0-9a-f]+)\"").matcher(json);
      assertTrue(m.find(), "example_hex in control-vectors.json");
      return HexFormat.of().parseHex(m.group(1));
    }
  }

  static byte[] zeroToThirtyOne() {
    byte[] b = new byte[Nonce.LENGTH];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) i;
    }
    return b;
  }

  @Test
  void encodesTheGoldenExample() throws Exception {
    byte[] example = exampleHex();
    assertEquals(Handshake.LENGTH, example.length);
    Nonce n = Nonce.fromBytes(zeroToThirtyOne());
    assertArrayEquals(example, Handshake.encode(n, ChannelRole.STDOUT));
    assertEquals(ChannelRole.STDOUT, Handshake.verify(example, n));
    assertEquals(ChannelRole.STDOUT, Handshake.read(new ByteArrayInputStream(example), n));
  }

  @Test
  void everyRoleRoundTripsThroughWriteAndRead() throws Exception {
    for (ChannelRole r : ChannelRole.values()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      Handshake.write(out, NONCE, r);
      assertEquals(33, out.size());
      assertEquals(r.wireValue(), out.toByteArray()[32]);
      assertEquals(r, Handshake.read(new ByteArrayInputStream(out.toByteArray()), NONCE));
    }
  }

  @Test
  void verifyRejectsAWrongNonceBeforeLookingAtTheRole() {
    byte[] b = Handshake.encode(NONCE, ChannelRole.STDIN);
    b[31] ^= 1;
    b[32] = 9;
    HandshakeException e = assertThrows(HandshakeException.class, () -> Handshake.verify(b, NONCE));
    assertEquals(HandshakeException.Reason.WRONG_NONCE, e.reason());
    NonceTest.assertNoTraceOf(NonceTest.sequential(), e.getMessage());
  }

  @Test
  void verifyRejectsEveryUnknownRoleByteNamingIt() {
    for (int role = 4; role <= 255; role++) {
      byte[] b = Handshake.encode(NONCE, ChannelRole.CONTROL);
      b[32] = (byte) role;
      HandshakeException e = assertThrows(HandshakeException.class, () -> Handshake.verify(b, NONCE));
      assertEquals(HandshakeException.Reason.UNKNOWN_ROLE, e.reason());
      assertTrue(e.getMessage().contains(Integer.toString(role)), e.getMessage());
    }
  }

  @Test
  void verifyRejectsTheWrongLength() {
    for (int n : new int[] {0, 32, 34}) {
      HandshakeException e = assertThrows(HandshakeException.class, () -> Handshake.verify(new byte[n], NONCE));
      assertEquals(HandshakeException.Reason.SHORT_READ, e.reason());
      assertTrue(e.getMessage().contains("got " + n), e.getMessage());
    }
  }

  @Test
  void readReportsAShortStreamWithTheCount() {
    byte[] b = Arrays.copyOf(Handshake.encode(NONCE, ChannelRole.STDERR), 20);
    HandshakeException e =
        assertThrows(HandshakeException.class, () -> Handshake.read(new ByteArrayInputStream(b), NONCE));
    assertEquals(HandshakeException.Reason.SHORT_READ, e.reason());
    assertTrue(e.getMessage().contains("20 of 33"), e.getMessage());
  }

  @Test
  void readLeavesBytesAfterTheHandshakeInTheStream() throws Exception {
    byte[] hs = Handshake.encode(NONCE, ChannelRole.STDIN);
    ByteArrayInputStream in = new ByteArrayInputStream(concat(hs, "payload".getBytes(StandardCharsets.US_ASCII)));
    assertEquals(ChannelRole.STDIN, Handshake.read(in, NONCE));
    assertEquals("payload", new String(in.readAllBytes(), StandardCharsets.US_ASCII));
  }

  @Test
  void readMapsOtherIoErrorsToShortRead() {
    InputStream failing =
        new InputStream() {
          @Override
          public int read() throws IOException {
            throw new IOException("Connection reset");
          }
        };
    HandshakeException e = assertThrows(HandshakeException.class, () -> Handshake.read(failing, NONCE));
    assertEquals(HandshakeException.Reason.SHORT_READ, e.reason());
    assertTrue(e.getMessage().contains("Connection reset"), e.getMessage());
  }

  @Test
  @Timeout(10)
  void blockingReadOverARealSocket() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket client = new Socket(server.getInetAddress(), server.getLocalPort());
        Socket accepted = server.accept()) {
      accepted.setSoTimeout(5000);
      OutputStream out = client.getOutputStream();
      byte[] hs = Handshake.encode(NONCE, ChannelRole.STDOUT);
      out.write(hs, 0, 10); // arrives in pieces
      out.flush();
      out.write(hs, 10, 23);
      out.write('x');
      out.flush();
      InputStream in = accepted.getInputStream();
      assertEquals(ChannelRole.STDOUT, Handshake.read(in, NONCE));
      assertEquals('x', in.read());
    }
  }

  @Test
  @Timeout(10)
  void blockingReadOfASilentPeerEndsWithDeadline() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket client = new Socket(server.getInetAddress(), server.getLocalPort());
        Socket accepted = server.accept()) {
      client.getOutputStream().write(new byte[5]);
      accepted.setSoTimeout(200);
      HandshakeException e =
          assertThrows(HandshakeException.class, () -> Handshake.read(accepted.getInputStream(), NONCE));
      assertEquals(HandshakeException.Reason.DEADLINE, e.reason());
      assertTrue(e.getMessage().contains("5 of 33"), e.getMessage());
    }
  }

  @Test
  @Timeout(10)
  void blockingReadOfAPeerThatClosesAfter20BytesIsShortRead() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket client = new Socket(server.getInetAddress(), server.getLocalPort());
        Socket accepted = server.accept()) {
      client.getOutputStream().write(Handshake.encode(NONCE, ChannelRole.CONTROL), 0, 20);
      client.close();
      accepted.setSoTimeout(5000);
      HandshakeException e =
          assertThrows(HandshakeException.class, () -> Handshake.read(accepted.getInputStream(), NONCE));
      assertEquals(HandshakeException.Reason.SHORT_READ, e.reason());
    }
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] r = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
