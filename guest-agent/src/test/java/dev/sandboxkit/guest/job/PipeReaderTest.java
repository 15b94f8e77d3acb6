package dev.sandboxkit.guest.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The cancellation logic of a job pipe's read end, against a fake whose ReadFile blocks like Win32's. */
@Timeout(30)
class PipeReaderTest {

  /**
   * ReadFile blocks until data is offered or the blocked thread's I/O is cancelled; CloseHandle does
   * not wake it (as on Windows). Records every call.
   */
  static final class FakeIo implements PipeReader.Io {
    final List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());
    final Semaphore wake = new Semaphore(0);
    final CountDownLatch inRead = new CountDownLatch(1);
    volatile boolean cancelled;
    volatile int data = -1; // one byte to deliver on the next wake, or -1 = none
    volatile boolean ignoreCancel;
    int threads;

    @Override
    public int read(byte[] buffer, int length) throws IOException {
      calls.add("read");
      inRead.countDown();
      wake.acquireUninterruptibly();
      if (cancelled) {
        cancelled = false;
        return -1; // ERROR_OPERATION_ABORTED
      }
      buffer[0] = (byte) data;
      return 1;
    }

    @Override
    public Object openCurrentThread() {
      calls.add("openThread");
      return "thread-" + (++threads);
    }

    @Override
    public boolean cancel(Object thread) {
      calls.add("cancel " + thread);
      if (ignoreCancel) {
        return false;
      }
      cancelled = true;
      wake.release();
      return true;
    }

    @Override
    public void closeThread(Object thread) {
      calls.add("closeThread " + thread);
    }

    @Override
    public void closePipe() {
      calls.add("closePipe");
    }
  }

  @Test
  void closeCancelsABlockedReadThenClosesThePipeOnce() throws Exception {
    FakeIo io = new FakeIo();
    PipeReader r = new PipeReader(io);
    CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
      try {
        return r.read(new byte[8], 0, 8);
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    assertTrue(io.inRead.await(10, TimeUnit.SECONDS));
    r.close();
    assertEquals(-1, read.get(10, TimeUnit.SECONDS));
    r.close();
    assertEquals(-1, r.read());
    assertEquals(List.of("openThread", "read", "cancel thread-1", "closePipe", "closeThread thread-1"), io.calls);
  }

  @Test
  void endOfStreamClosesThePipeAtOnce() throws Exception {
    FakeIo io = new FakeIo();
    PipeReader r = new PipeReader(io);
    io.cancelled = true; // the next read reports the end (broken pipe)
    io.wake.release();
    assertEquals(-1, r.read(new byte[4], 0, 4));
    r.close();
    assertEquals(List.of("openThread", "read", "closePipe", "closeThread thread-1"), io.calls);
  }

  @Test
  void dataIsDeliveredAtAnOffset() throws Exception {
    FakeIo io = new FakeIo();
    PipeReader r = new PipeReader(io);
    io.data = 42;
    io.wake.release();
    byte[] b = new byte[4];
    assertEquals(1, r.read(b, 2, 2));
    assertEquals(42, b[2]);
    r.close();
    assertEquals(List.of("openThread", "read", "closePipe", "closeThread thread-1"), io.calls);
  }

  @Test
  void closeBeforeAnyReadClosesThePipeAndReadsNothing() throws Exception {
    FakeIo io = new FakeIo();
    PipeReader r = new PipeReader(io);
    r.close();
    assertEquals(-1, r.read(new byte[4], 0, 4));
    assertEquals(List.of("closePipe"), io.calls);
  }

  /** A read that cannot be cancelled keeps its handle: closing it under the reader would be worse. */
  @Test
  void aReadThatIgnoresCancelKeepsItsHandle() throws Exception {
    FakeIo io = new FakeIo();
    io.ignoreCancel = true;
    PipeReader r = new PipeReader(io, java.time.Duration.ofMillis(200));
    Thread t = new Thread(() -> {
      try {
        r.read(new byte[4], 0, 4);
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    t.start();
    assertTrue(io.inRead.await(10, TimeUnit.SECONDS));
    r.close();
    assertTrue(io.calls.stream().noneMatch(c -> c.equals("closePipe")), io.calls.toString());
    assertTrue(io.calls.stream().filter(c -> c.startsWith("cancel")).count() > 1, io.calls.toString());
    io.wake.release(); // the read finally returns (with data): the stream is already closed
    t.join(10_000);
  }
}
