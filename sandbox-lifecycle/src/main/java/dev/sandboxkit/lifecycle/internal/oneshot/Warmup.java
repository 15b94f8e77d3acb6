package dev.sandboxkit.lifecycle.internal.oneshot;

import dev.sandboxkit.lifecycle.internal.controlplane.VmProcId;
import dev.sandboxkit.lifecycle.internal.teardown.Decisions;
import dev.sandboxkit.lifecycle.internal.teardown.VmOwnership;
import dev.sandboxkit.protocol.ControlJson;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One-time JVM start-up work that every run needs only once its guest is up, done right after the
 * launch while the guest's JVM boots (200-400 ms, mostly on the other core) rather than on the
 * critical paths after the rendezvous (connect, handshake, exec) and after the job's exit (teardown):
 * <ul>
 *   <li>the {@link System.Logger} backend: {@code System.getLogger} starts java.util.logging, which
 *       reads its configuration (~10 ms); the lifecycle's own loggers are therefore created on first
 *       use, so the launch path never waits for it;</li>
 *   <li>the JDK's Unix-socket, selector and JSON-parser classes (class init and linking);</li>
 *   <li>the bridge and teardown classes.</li>
 * </ul>
 * Best effort and idempotent: it never throws and changes nothing a run can observe.
 */
final class Warmup {
  private static final String BRIDGE = "dev.sandboxkit.lifecycle.internal.bridge.";
  private static final List<String> CLASSES = List.of(
      BRIDGE + "GuestConnection", BRIDGE + "ControlChannel", BRIDGE + "OneShotExec", BRIDGE + "OutputDrain",
      BRIDGE + "StdinPump", BRIDGE + "ChunkedCapture", BRIDGE + "ExecOutcome", BRIDGE + "UnixPathAlias",
      "dev.sandboxkit.lifecycle.internal.teardown.ChildExit",
      "dev.sandboxkit.lifecycle.internal.teardown.TeardownOutcome$ConfirmedGone",
      "java.nio.file.FileTreeWalker", "java.util.concurrent.CompletableFuture$Signaller");
  private static volatile boolean done;

  private Warmup() {
  }

  static void run() {
    if (done) {
      return;
    }
    done = true;
    try {
      System.getLogger(OneShotRun.class.getName()).isLoggable(System.Logger.Level.DEBUG);
      try (Selector s = Selector.open(); SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
        c.configureBlocking(false);
      }
      ControlJson.fromJson("{\"type\":\"Ready\"}".getBytes(StandardCharsets.UTF_8));
      Decisions.planKillSet(new VmOwnership.Owned(List.of(new VmProcId(1, 1))), List.of());
      ClassLoader loader = Warmup.class.getClassLoader();
      for (String name : CLASSES) {
        try {
          Class.forName(name, true, loader);
        } catch (ClassNotFoundException | LinkageError e) {
          // renamed or absent: only a lost optimisation
        }
      }
    } catch (IOException | RuntimeException e) {
      // only a lost optimisation
    }
  }
}
