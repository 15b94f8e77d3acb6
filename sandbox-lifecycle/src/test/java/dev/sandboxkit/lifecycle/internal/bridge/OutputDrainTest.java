package dev.sandboxkit.lifecycle.internal.bridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** One drain on a real Unix socket pair: which way the bytes reach the caller's stream. */
@Timeout(30)
class OutputDrainTest {
  @TempDir Path dir;
  private SocketChannel guest;
  private SocketChannel host;

  @BeforeEach
  void pair() throws IOException {
    UnixDomainSocketAddress a = UnixDomainSocketAddress.of(dir.resolve("d.sock"));
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(a);
      host = SocketChannel.open(a);
      guest = server.accept();
    }
  }

  @AfterEach
  void close() throws IOException {
    guest.close();
    host.close();
  }

  @Test
  void aPlainFileOutputStreamGetsEveryByteThroughItsChannel() throws Exception {
    byte[] data = random(3 * OutputDrain.CHUNK + 77);
    Path file = dir.resolve("out.bin");
    try (FileOutputStream out = new FileOutputStream(file.toFile())) {
      OutputDrain d = drain(out, data);
      assertNull(d.sinkError());
      assertNull(d.error());
      assertEquals(data.length, d.seen());
      assertEquals(0, d.bytes().length); // live: nothing captured
    }
    assertArrayEquals(data, Files.readAllBytes(file));
  }

  @Test
  void aFileOutputStreamSubclassIsWrittenThroughItsOwnWriteMethod() throws Exception {
    byte[] data = random(OutputDrain.CHUNK + 5);
    Path file = dir.resolve("sub.bin");
    AtomicInteger writes = new AtomicInteger();
    try (FileOutputStream out = new FileOutputStream(file.toFile()) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        writes.incrementAndGet();
        super.write(b, off, len);
      }
    }) {
      drain(out, data);
    }
    assertTrue(writes.get() > 0);
    assertArrayEquals(data, Files.readAllBytes(file));
  }

  @Test
  void anyOtherStreamGetsEveryByte() throws Exception {
    byte[] data = random(2 * OutputDrain.CHUNK + 1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    drain(out, data);
    assertArrayEquals(data, out.toByteArray());
  }

  @Test
  void aClosedFileSinkIsReportedAndTheDrainStillReadsToTheEnd() throws Exception {
    byte[] data = random(2 * OutputDrain.CHUNK);
    FileOutputStream out = new FileOutputStream(dir.resolve("closed.bin").toFile());
    out.close();
    OutputDrain d = drain(out, data);
    assertEquals(data.length, d.seen()); // the guest was never blocked
    assertTrue(d.sinkError().startsWith("writing stdout to the caller's stream failed: "), d.sinkError());
    assertTrue(d.sinkError().contains("ClosedChannelException"), d.sinkError());
    assertNull(d.error());
  }

  /** Sends {@code data} from the guest side, then EOF, and drains it into {@code out}. */
  private OutputDrain drain(java.io.OutputStream out, byte[] data) throws Exception {
    OutputDrain d = new OutputDrain("stdout", host, out, 0);
    d.start();
    ByteBuffer b = ByteBuffer.wrap(data);
    while (b.hasRemaining()) {
      guest.write(b);
    }
    guest.shutdownOutput();
    assertTrue(d.await(Deadline.after(Duration.ofSeconds(20))), "the drain did not reach EOF");
    return d;
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }
}
