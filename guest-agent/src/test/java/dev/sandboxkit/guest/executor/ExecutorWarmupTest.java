package dev.sandboxkit.guest.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ExecutorWarmupTest {

  @Test
  void leavesTheFirstJobsBuffersAndStartsNoProcess() {
    long children = ProcessHandle.current().children().count();
    ExecutorWarmup.run();
    ExecutorWarmup.run(); // a second run adds nothing beyond the two buffers
    int spare = OutputPump.spareBuffers();
    assertTrue(spare >= 2 && spare <= OutputPump.BUFFERS, "spare buffers: " + spare);
    assertEquals(children, ProcessHandle.current().children().count(), "the warm-up started a process");
  }

  @Test
  void thePumpsFindTheSocketUnderANettyChannelAfterTheLookUpAhead() {
    assertTrue(OutputPump.DirectSink.lookUpAhead(), "AbstractNioChannel.javaChannel() is reachable");
  }

  /** The JDK classes preloaded by name exist on the running JDK (a rename would lose the warm-up silently). */
  @Test
  void everyClassPreloadedByNameExists() throws Exception {
    for (String name : ExecutorWarmup.JDK_CLASSES) {
      Class.forName(name, false, null);
    }
  }
}
