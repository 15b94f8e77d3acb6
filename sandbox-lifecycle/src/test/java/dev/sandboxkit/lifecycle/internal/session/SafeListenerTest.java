package dev.sandboxkit.lifecycle.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sandboxkit.lifecycle.SandboxListener;
import dev.sandboxkit.lifecycle.internal.vm.ArchiveEvents;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The archive events reach the listener with the sandbox's id, and a throwing listener never reaches the driver. */
class SafeListenerTest {

  @Test
  void theDriversArchiveEventsReachTheListenerWithTheSandboxId() {
    List<String> seen = new CopyOnWriteArrayList<>();
    SafeListener l = new SafeListener(new SandboxListener() {
      @Override public void archiveStart(String id) { seen.add("start " + id); }
      @Override public void archiveEnd(String id) { seen.add("end " + id); }
      @Override public void archiveFailed(String id, String reason) { seen.add("failed " + id + " " + reason); }
    });
    l.id("6c1f");
    ArchiveEvents events = l.archiveEvents();
    events.start();
    events.end();
    events.failed("no space left");
    assertEquals(List.of("start 6c1f", "end 6c1f", "failed 6c1f no space left"), seen);
  }

  @Test
  void aListenerThatThrowsOnArchiveEventsIsIgnored() {
    List<String> called = new CopyOnWriteArrayList<>();
    SafeListener l = new SafeListener(new SandboxListener() {
      @Override public void archiveStart(String id) { called.add("start"); throw new IllegalStateException("start"); }
      @Override public void archiveEnd(String id) { called.add("end"); throw new IllegalStateException("end"); }
      @Override public void archiveFailed(String id, String reason) {
        called.add("failed");
        throw new IllegalStateException("failed");
      }
    });
    ArchiveEvents events = l.archiveEvents();
    events.start(); // none of these may throw into the training
    events.end();
    events.failed("x");
    assertEquals(List.of("start", "end", "failed"), called);
  }
}
