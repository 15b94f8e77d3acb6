package dev.sandboxkit.lifecycle.internal.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The warm-up does what it is for: in a fresh JVM, each of its steps loads what the run's later
 * paths need (the logger backend, the selector, the codec, the teardown decisions, every class it
 * names), and it starts no process. Removing a step or renaming a named class turns this red.
 */
@Timeout(90)
class WarmupTest {

  /** Runs the warm-up twice in a fresh JVM with class loading logged; returns the classes loaded. */
  private static Set<String> loadedByAFreshWarmup() throws Exception {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xshare:off",
        "-Xlog:class+load=info:stdout:tags", "-cp", System.getProperty("java.class.path"), Probe.class.getName()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the probe JVM did not exit");
    assertEquals(0, p.exitValue(), out.length() > 4000 ? out.substring(out.length() - 4000) : out);
    assertTrue(out.contains("PROBE children=0"), "the warm-up started a process");
    assertTrue(out.contains("PROBE callerSteps=1"), "the caller's steps run once, with the first warm-up: " + out.lines()
        .filter(l -> l.startsWith("PROBE")).toList());
    Set<String> loaded = new HashSet<>();
    for (String line : out.split("\n")) {
      // [class,load] java.lang.Object source: shared objects file
      int i = line.indexOf("] ");
      if (line.startsWith("[class,load]") && i > 0) {
        String rest = line.substring(i + 2);
        int sp = rest.indexOf(' ');
        loaded.add(sp < 0 ? rest : rest.substring(0, sp));
      }
    }
    return loaded;
  }

  @Test
  void eachStepLoadsWhatTheRunNeedsAndNoProcessIsStarted() throws Exception {
    Set<String> loaded = loadedByAFreshWarmup();
    for (String name : Warmup.CLASSES) {
      assertTrue(loaded.contains(name), "the warm-up did not load " + name);
    }
    for (String name : List.of(
        "java.util.logging.LogManager", // the System.Logger backend
        "sun.nio.ch.SelectorProviderImpl", // the selector round trip
        "dev.sandboxkit.protocol.FrameCodec", "dev.sandboxkit.protocol.Preamble", // the codec
        "dev.sandboxkit.lifecycle.internal.teardown.Decisions")) { // the kill-set plan
      assertTrue(loaded.contains(name), "the warm-up did not load " + name);
    }
  }

  @Test
  void everyClassPreloadedByNameExists() throws Exception {
    for (String name : Warmup.CLASSES) {
      Class.forName(name, false, Warmup.class.getClassLoader());
    }
  }

  /** The fresh JVM's main: the warm-up twice (the second returns at once), then its children. */
  static final class Probe {
    public static void main(String[] args) {
      java.util.concurrent.atomic.AtomicInteger steps = new java.util.concurrent.atomic.AtomicInteger();
      Warmup.run(steps::incrementAndGet);
      Warmup.run(steps::incrementAndGet);
      System.out.println("PROBE callerSteps=" + steps.get());
      System.out.println("PROBE children=" + ProcessHandle.current().children().count());
    }
  }
}
