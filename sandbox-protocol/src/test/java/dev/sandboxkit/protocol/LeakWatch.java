package dev.sandboxkit.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * ByteBuf bookkeeping for codec tests: every input buffer is allocated here and must end with a
 * reference count of 0, and Netty's (paranoid, set by the surefire argLine) leak detector reports
 * to a listener that fails {@link #assertNoReportedLeaks()}.
 */
final class LeakWatch {
  private static final List<String> REPORTED = new CopyOnWriteArrayList<>();

  static {
    ByteBufUtil.setLeakListener((type, records) -> REPORTED.add(type + ": " + records));
  }

  private final List<ByteBuf> inputs = new ArrayList<>();

  /** A tracked buffer holding {@code len} bytes of {@code b} at {@code off}. */
  ByteBuf buf(byte[] b, int off, int len) {
    ByteBuf buf = ByteBufAllocator.DEFAULT.buffer(len).writeBytes(b, off, len);
    inputs.add(buf);
    return buf;
  }

  ByteBuf buf(byte[] b) {
    return buf(b, 0, b.length);
  }

  /** Every buffer handed out has been released by whoever consumed it. */
  void assertAllReleased() {
    for (int i = 0; i < inputs.size(); i++) {
      if (inputs.get(i).refCnt() != 0) {
        fail("input buffer " + i + " still has refCnt " + inputs.get(i).refCnt());
      }
    }
  }

  /** Runs GC and nudges the detector, then fails if Netty reported any leak so far. */
  static void assertNoReportedLeaks() throws InterruptedException {
    if (ResourceLeakDetector.getLevel() != ResourceLeakDetector.Level.PARANOID) {
      fail("run with -Dio.netty.leakDetection.level=paranoid (the module's surefire argLine sets it)");
    }
    for (int round = 0; round < 3; round++) {
      System.gc();
      Thread.sleep(20);
      for (int i = 0; i < 64; i++) {
        ByteBufAllocator.DEFAULT.buffer(8).release(); // leak reports are issued on allocation
      }
    }
    assertEquals(List.of(), REPORTED, "Netty reported leaked buffers");
  }
}
