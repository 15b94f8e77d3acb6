package dev.sandboxkit.lifecycle.internal.bridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The stdin pump over a real Unix socket: exact bytes, EOF as a half-close, back-pressure, errors. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StdinPumpTest {
  @TempDir Path dir;

  private record Pair(SocketChannel host, SocketChannel guest) {}

  private Pair pair() throws Exception {
    UnixDomainSocketAddress a = UnixDomainSocketAddress.of(Files.createTempDirectory(dir, "s").resolve("s.sock"));
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(a);
      SocketChannel host = SocketChannel.open(a);
      return new Pair(host, server.accept());
    }
  }

  private static byte[] readToEof(SocketChannel ch) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer b = ByteBuffer.allocate(64 * 1024);
    while (ch.read(b) >= 0) {
      out.write(b.array(), 0, b.position());
      b.clear();
    }
    return out.toByteArray();
  }

  private byte[] pumpThrough(InputStream in) throws Exception {
    Pair p = pair();
    try (SocketChannel host = p.host(); SocketChannel guest = p.guest()) {
      StdinPump pump = new StdinPump(in, host);
      pump.start();
      byte[] got = readToEof(guest); // EOF: the pump half-closed the socket after the last byte
      pump.join(10_000);
      assertFalse(pump.alive());
      assertNull(pump.error());
      assertEquals(got.length, pump.forwarded());
      return got;
    }
  }

  @Test
  void aFileIsForwardedExactlyThroughItsChannelAndEndsWithAHalfClose() throws Exception {
    byte[] data = new byte[5 * StdinPump.CHUNK + 12345];
    new Random(7).nextBytes(data);
    Path f = dir.resolve("in.bin");
    Files.write(f, data);
    assertArrayEquals(data, pumpThrough(new FileInputStream(f.toFile())));
    // The buffer is reused by the next pump, and the next pump still gets every byte.
    assertArrayEquals(data, pumpThrough(new FileInputStream(f.toFile())));
  }

  @Test
  void anyOtherStreamIsForwardedExactly() throws Exception {
    byte[] data = new byte[3 * StdinPump.CHUNK + 7];
    new Random(8).nextBytes(data);
    assertArrayEquals(data, pumpThrough(new ByteArrayInputStream(data)));
    assertArrayEquals(new byte[0], pumpThrough(InputStream.nullInputStream()));
  }

  @Test
  void aGuestThatDoesNotReadHoldsThePumpBackAndClosingItEndsThePumpQuietly() throws Exception {
    Pair p = pair();
    try (SocketChannel host = p.host(); SocketChannel guest = p.guest()) {
      InputStream endless = new InputStream() {
        @Override
        public int read() {
          return 0;
        }

        @Override
        public int read(byte[] b, int off, int len) {
          return len;
        }
      };
      StdinPump pump = new StdinPump(endless, host);
      pump.start();
      long seen = -1;
      // Back-pressure: the pump stops at what the socket holds instead of reading without end.
      while (seen != pump.forwarded()) {
        seen = pump.forwarded();
        Thread.sleep(200);
      }
      assertTrue(pump.alive(), "the pump waits for the guest");
      assertTrue(seen < 64L * StdinPump.CHUNK, "forwarded " + seen);
      guest.close(); // the command is over without reading it all (`| head`): no failure
      pump.join(10_000);
      assertFalse(pump.alive());
      assertNull(pump.error());
    }
  }

  /** Reading the caller's stdin failed: reported (logged and in the result's detail), never thrown. */
  @Test
  void aFailingSourceIsReportedNotThrown() throws Exception {
    Pair p = pair();
    try (SocketChannel host = p.host(); SocketChannel guest = p.guest()) {
      InputStream failing = new InputStream() {
        private int calls;

        @Override
        public int read() throws java.io.IOException {
          throw new java.io.IOException("disk on fire");
        }

        @Override
        public int read(byte[] b, int off, int len) throws java.io.IOException {
          if (calls++ > 0) {
            throw new java.io.IOException("disk on fire");
          }
          return Math.min(len, 10);
        }

        @Override
        public int available() {
          return 0;
        }
      };
      StdinPump pump = new StdinPump(failing, host);
      pump.start();
      pump.join(10_000);
      assertFalse(pump.alive());
      assertNotNull(pump.error());
      assertTrue(pump.error().contains("forwarding stdin to guest failed after 10 bytes"), pump.error());
      assertTrue(pump.error().contains("disk on fire"), pump.error());
    }
  }

  /** The guest reads whole chunks: the Unix socket's send buffer is widened from the kernel's ~208 KiB. */
  @Test
  void theUnixSocketGetsAChunkSizedSendBuffer() throws Exception {
    Pair p = pair();
    try (SocketChannel host = p.host(); SocketChannel guest = p.guest()) {
      int before = host.getOption(java.net.StandardSocketOptions.SO_SNDBUF);
      StdinPump pump = new StdinPump(InputStream.nullInputStream(), host);
      pump.start();
      pump.join(10_000);
      assertFalse(pump.alive());
      int after = host.getOption(java.net.StandardSocketOptions.SO_SNDBUF);
      assertTrue(after >= StdinPump.SEND_BUFFER && after > before, "SO_SNDBUF " + before + " -> " + after);
    }
  }
}
