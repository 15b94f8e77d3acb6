package dev.sandboxkit.lifecycle.internal.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.sandboxkit.SandboxDrivers;
import dev.sandboxkit.lifecycle.internal.teardown.MarkerStore;
import dev.sandboxkit.lifecycle.internal.vm.DriverSpi;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The start-up work ahead of a run ({@link Prestart}): side-effect free and never throws. */
@Timeout(60)
class PrestartTest {

  @Test
  void leavesNoProcessRunDirOrThreadBehind() throws Exception {
    long children = ProcessHandle.current().children().count();
    boolean stateRootExisted = Files.exists(MarkerStore.defaultRoot());
    Thread t = new Thread(new Prestart(SandboxDrivers::auto), "sandboxkit-prestart");
    t.start();
    t.join(50_000);
    assertFalse(t.isAlive(), "the prestart did not finish");
    new Prestart(() -> SandboxDrivers.byName("bubblewrap")).run(); // and again, on this thread
    assertEquals(children, ProcessHandle.current().children().count(), "the prestart started a process");
    if (!stateRootExisted) {
      assertFalse(Files.exists(MarkerStore.defaultRoot()), "the prestart created the state folder");
    }
    assertFalse(Files.exists(Path.of("sandbox.log")), "the prestart created a file");
  }

  /**
   * A driver whose every method throws, its warm-up included: the prestart calls the warm-up (the
   * test would pass vacuously otherwise), swallows its failure and finishes its own steps.
   */
  @Test
  void aDriverThatFailsEverywhereIsNoProblem() {
    List<String> called = new CopyOnWriteArrayList<>();
    DriverSpi broken = (DriverSpi) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {DriverSpi.class}, (proxy, method, args) -> {
          called.add(method.getName());
          throw new IllegalStateException("broken driver: " + method.getName());
        });
    new Prestart(() -> broken).run();
    assertEquals(List.of("warmUp"), called, "the prestart reaches the driver's warm-up, and only that");
  }

  /** Every class the prestart loads by name exists (a rename would silently lose its head start). */
  @Test
  void everyClassPreloadedByNameExists() throws Exception {
    for (String name : Prestart.CLASSES) {
      Class.forName(name, false, Prestart.class.getClassLoader());
    }
    for (String name : Prestart.SPAWN_CLASSES) {
      Class.forName(name, false, null);
    }
  }
}
