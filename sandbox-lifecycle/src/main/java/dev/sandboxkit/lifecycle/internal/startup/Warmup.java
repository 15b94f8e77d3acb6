package dev.sandboxkit.lifecycle.internal.startup;

import dev.sandboxkit.lifecycle.internal.controlplane.JdkProcessProbe;
import dev.sandboxkit.lifecycle.internal.controlplane.VmProcId;
import dev.sandboxkit.lifecycle.internal.teardown.Decisions;
import dev.sandboxkit.lifecycle.internal.teardown.VmOwnership;
import dev.sandboxkit.protocol.ControlMessage;
import dev.sandboxkit.protocol.FrameCodec;
import dev.sandboxkit.protocol.Preamble;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.List;

/**
 * One-time JVM start-up work that every run needs only once its guest is up, done right after the
 * launch while the guest's JVM boots (200-400 ms, mostly on the other core) rather than on the
 * critical paths after the rendezvous (connect, handshake, exec) and after the job's exit (teardown):
 * <ul>
 *   <li>the {@link System.Logger} backend: {@code System.getLogger} starts java.util.logging, which
 *       reads its configuration (~10 ms); the lifecycle's own loggers are therefore created on first
 *       use, so the launch path never waits for it; the loggers of the steps after the launch are
 *       created here;</li>
 *   <li>the JDK's Unix-socket and selector classes, and the selector's first select (which
 *       initializes {@code sun.nio.ch.Net}: libnet, {@code InetAddress}, the extended socket options,
 *       ~3 ms) on a private pipe;</li>
 *   <li>the control codec both ways: Exec out, the preamble, Ready and Exit in (a number parsed by
 *       the JSON parser for the first time costs ~1 ms);</li>
 *   <li>the bridge, result and teardown classes, and the process-probe path of the teardown (on this
 *       JVM's own process: read only).</li>
 * </ul>
 * Best effort and idempotent: it never throws and changes nothing a run can observe.
 */
public final class Warmup {
  private static final String LIFECYCLE = "dev.sandboxkit.lifecycle.";
  private static final String BRIDGE = LIFECYCLE + "internal.bridge.";
  private static final String TEARDOWN = LIFECYCLE + "internal.teardown.";
  static final List<String> CLASSES = List.of(
      BRIDGE + "GuestConnection", BRIDGE + "ControlChannel", BRIDGE + "ExecCall", BRIDGE + "OutputDrain",
      BRIDGE + "StdinPump", BRIDGE + "ChunkedCapture", BRIDGE + "ExecOutcome", BRIDGE + "UnixPathAlias",
      BRIDGE + "Deadline", BRIDGE + "BridgeException",
      LIFECYCLE + "internal.rendezvous.RendezvousAddress",
      LIFECYCLE + "internal.rendezvous.RendezvousWaiter$Log",
      LIFECYCLE + "internal.controlplane.JdkProcessProbe$Log",
      LIFECYCLE + "internal.controlplane.HostSnapshot",
      LIFECYCLE + "ExecutionResult", LIFECYCLE + "FailurePhase",
      TEARDOWN + "ChildExit", TEARDOWN + "BlockingTeardown", TEARDOWN + "BlockingTeardown$Log",
      TEARDOWN + "TeardownGuard$Log", TEARDOWN + "MarkerStore",
      TEARDOWN + "TeardownOutcome$ConfirmedGone", TEARDOWN + "TeardownOutcome$StillRunning",
      "dev.sandboxkit.auth.Handshake", "dev.sandboxkit.auth.ChannelRole",
      "java.nio.file.FileTreeWalker", "java.util.concurrent.CompletableFuture$Signaller",
      "java.util.concurrent.CompletableFuture$AnyOf");
  private static volatile boolean done;
  /** The session's logger (created here, as the session creates its own on first use). */
  private static final String SESSION_LOGGER = LIFECYCLE + "internal.session.SessionStart";

  private Warmup() {
  }

  /** The warm-up, once per JVM. */
  public static void run() {
    run(() -> { });
  }

  /**
   * The warm-up, once per JVM, with {@code callerSteps} (the session's own result mapping, run once on
   * dummy inputs: this package does not depend on the session's).
   */
  public static void run(Runnable callerSteps) {
    if (!Speedup.WARMUP.on() || done) {
      return;
    }
    done = true;
    try {
      System.getLogger(SESSION_LOGGER).isLoggable(System.Logger.Level.DEBUG);
      selectorRoundTrip();
      codec();
      Decisions.planKillSet(new VmOwnership.Owned(List.of(new VmProcId(1, 1))), List.of());
      VmProcId.of(ProcessHandle.current()).ifPresent(JdkProcessProbe.INSTANCE::isAlive);
      callerSteps.run();
      ClassPreload.initialise(CLASSES, Warmup.class.getClassLoader());
    } catch (IOException | RuntimeException e) {
      // only a lost optimisation
    }
  }

  /**
   * A Unix socket channel made non-blocking, and one byte through a private pipe watched by a
   * selector: registration, a select that finds the channel ready, the ready-set translation and the
   * read, as the control channel does them after the connect.
   */
  private static void selectorRoundTrip() throws IOException {
    try (Selector s = Selector.open(); SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      c.configureBlocking(false);
      Pipe pipe = Pipe.open();
      try (Pipe.SourceChannel in = pipe.source(); Pipe.SinkChannel out = pipe.sink()) {
        in.configureBlocking(false);
        SelectionKey key = in.register(s, SelectionKey.OP_READ);
        out.write(ByteBuffer.wrap(new byte[] {1}));
        s.select(100);
        s.selectedKeys().clear();
        in.read(ByteBuffer.allocate(1));
        key.interestOps(0);
        s.selectNow();
      }
    }
  }

  /** The frames of one exec through the codec, as the host sends and receives them. */
  private static void codec() throws IOException {
    byte[] exec = FrameCodec.encode(new ControlMessage.Exec("warmup", "true", "", 0));
    FrameCodec.decode(exec, 0, exec.length - 1); // incomplete
    Preamble.validate(Preamble.bytes());
    for (ControlMessage m : List.of(ControlMessage.READY, new ControlMessage.Exit("warmup", 1, "warmup"),
        ControlMessage.STREAMS_READY)) {
      byte[] frame = FrameCodec.encode(m);
      FrameCodec.decode(frame, 0, frame.length);
    }
  }
}
