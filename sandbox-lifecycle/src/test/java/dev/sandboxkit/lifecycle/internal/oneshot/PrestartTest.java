package dev.sandboxkit.lifecycle.internal.oneshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.sandboxkit.lifecycle.SandboxDriver;
import dev.sandboxkit.lifecycle.SandboxDrivers;
import dev.sandboxkit.lifecycle.internal.teardown.MarkerStore;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The start-up work ahead of a run ({@link Prestart}): side-effect free and never throws. */
@Timeout(60)
class PrestartTest {

  @Test
  void leavesNoProcessRunDirOrThreadBehind() throws Exception {
    long children = ProcessHandle.current().children().count();
    boolean stateRootExisted = Files.exists(MarkerStore.defaultRoot());
    Thread t = new Thread(new Prestart(), "sandboxkit-prestart");
    t.start();
    t.join(50_000);
    assertFalse(t.isAlive(), "the prestart did not finish");
    new Prestart(SandboxDrivers.byName("bubblewrap")).run(); // and again, on this thread
    assertEquals(children, ProcessHandle.current().children().count(), "the prestart started a process");
    if (!stateRootExisted) {
      assertFalse(Files.exists(MarkerStore.defaultRoot()), "the prestart created the state folder");
    }
    assertFalse(Files.exists(Path.of("sandbox.log")), "the prestart created a file");
  }

  @Test
  void aDriverThatFailsEverywhereIsNoProblem() {
    SandboxDriver broken = (SandboxDriver) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {SandboxDriver.class}, (proxy, method, args) -> {
          throw new IllegalStateException("broken driver: " + method.getName());
        });
    new Prestart(broken).run(); // only the bubblewrap driver has a warm-up; nothing of this one is called
  }
}
