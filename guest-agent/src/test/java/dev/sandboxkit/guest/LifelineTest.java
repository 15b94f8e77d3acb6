package dev.sandboxkit.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class LifelineTest {
  @Test
  void bytesAreIgnoredAndEndOfFileTripsItOnce() throws Exception {
    LinkedBlockingQueue<String> why = new LinkedBlockingQueue<>();
    PipedOutputStream host = new PipedOutputStream();
    PipedInputStream agent = new PipedInputStream(host);
    Lifeline l = Lifeline.watch(agent, why::add);
    host.write("keep-alive\n".getBytes());
    host.flush();
    assertNull(why.poll(300, TimeUnit.MILLISECONDS), "bytes from the host must not trip the lifeline");
    assertFalse(l.tripped());
    host.close();
    assertEquals("end of file", why.poll(10, TimeUnit.SECONDS));
    assertTrue(l.tripped());
    assertNull(why.poll(200, TimeUnit.MILLISECONDS), "the action runs once");
  }

  @Test
  void aReadErrorTripsIt() throws Exception {
    LinkedBlockingQueue<String> why = new LinkedBlockingQueue<>();
    InputStream broken = new InputStream() {
      @Override
      public int read() throws IOException {
        throw new IOException("Bad file descriptor");
      }
    };
    Lifeline l = Lifeline.watch(broken, why::add);
    assertEquals("read error: Bad file descriptor", why.poll(10, TimeUnit.SECONDS));
    assertTrue(l.tripped());
  }

  @Test
  void modeParsing() {
    assertEquals(Lifeline.Mode.STDIN, Lifeline.Mode.parse("stdin"));
    assertEquals(Lifeline.Mode.STDIN, Lifeline.Mode.parse("STDIN"));
    assertEquals(Lifeline.Mode.NONE, Lifeline.Mode.parse("none"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Lifeline.Mode.parse("pipe"));
    assertEquals("--lifeline must be stdin or none, got 'pipe'", e.getMessage());
  }
}
