package dev.sandboxkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link StandardFds} and {@link StdSink}: the process's own standard descriptors. */
class StdStreamsTest {

  @AfterEach
  void reset() {
    StdSink.resetForTests();
  }

  @Test
  void filesTheJvmOpensAreNotStandardDescriptors() {
    String home = "/usr/lib/jvm/java-17";
    assertTrue(StandardFds.openedByTheJvm(home + "/lib/modules", home, ""));
    assertTrue(StandardFds.openedByTheJvm("/other/jdk/lib/modules", home, ""));
    assertTrue(StandardFds.openedByTheJvm(home + "/lib/server/classes.jsa", home, ""));
    assertTrue(StandardFds.openedByTheJvm("/root/.cache/sandboxkit/cds/cli-1.jsa", home, ""));
    assertTrue(StandardFds.openedByTheJvm("/root/.cache/sandboxkit/cds/cli-1.aot", home, "")); // Java 25+
    assertTrue(StandardFds.openedByTheJvm("/w/host-cli/target/sandboxkit.jar", home,
        "/w/host-cli/target/sandboxkit.jar"));
  }

  @Test
  void whatAUserRedirectsIsAStandardDescriptor() {
    String home = "/usr/lib/jvm/java-17";
    assertFalse(StandardFds.openedByTheJvm("/dev/null", home, ""));
    assertFalse(StandardFds.openedByTheJvm("/dev/pts/3", home, ""));
    assertFalse(StandardFds.openedByTheJvm("pipe:[1234]", home, ""));
    assertFalse(StandardFds.openedByTheJvm("socket:[1234]", home, ""));
    assertFalse(StandardFds.openedByTheJvm("/home/u/input.txt", home, "/w/sandboxkit.jar"));
    assertFalse(StandardFds.openedByTheJvm("/home/u/other.jar", home, "/w/sandboxkit.jar"));
  }

  @Test
  void thisProcessesStdoutIsUsable() {
    assertTrue(StandardFds.usable(1), "surefire's stdout is a pipe of its own");
  }

  @Test
  void aBrokenPipeEndsOnceAndSilencesLaterWrites() throws IOException {
    AtomicInteger ended = new AtomicInteger();
    AtomicInteger written = new AtomicInteger();
    OutputStream broken = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        written.incrementAndGet();
        throw new IOException("Broken pipe");
      }
    };
    StdSink out = new StdSink(broken, ended::incrementAndGet);
    StdSink err = new StdSink(new OutputStream() {
      @Override
      public void write(int b) {
        written.incrementAndGet();
      }
    }, ended::incrementAndGet);
    out.write('y');
    out.write('y');
    err.write('x');
    err.flush();
    assertEquals(1, ended.get(), "ended once");
    assertEquals(1, written.get(), "nothing written after the broken pipe, to either stream");
    assertTrue(StdSink.broken());
  }

  @Test
  void otherWriteErrorsPropagate() {
    AtomicInteger ended = new AtomicInteger();
    StdSink out = new StdSink(new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        throw new IOException("No space left on device");
      }
    }, ended::incrementAndGet);
    assertThrows(IOException.class, () -> out.write('y'));
    assertEquals(0, ended.get());
    assertFalse(StdSink.broken());
  }
}
