package dev.sandboxkit.lifecycle.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.auth.ChannelRole;
import dev.sandboxkit.auth.Handshake;
import dev.sandboxkit.auth.Nonce;
import dev.sandboxkit.auth.NonceFile;
import dev.sandboxkit.lifecycle.Execution;
import dev.sandboxkit.lifecycle.ExecutionRequest;
import dev.sandboxkit.lifecycle.ExecutionResult;
import dev.sandboxkit.lifecycle.FailurePhase;
import dev.sandboxkit.lifecycle.NetworkAccess;
import dev.sandboxkit.Sandbox;
import dev.sandboxkit.lifecycle.SandboxClosedException;
import dev.sandboxkit.lifecycle.SandboxException;
import dev.sandboxkit.lifecycle.SandboxPolicy;
import dev.sandboxkit.lifecycle.internal.controlplane.HostSlot;
import dev.sandboxkit.lifecycle.internal.controlplane.HostSnapshot;
import dev.sandboxkit.lifecycle.internal.controlplane.VmProcId;
import dev.sandboxkit.lifecycle.internal.policy.PolicyPlan;
import dev.sandboxkit.lifecycle.internal.rendezvous.RendezvousWaiter;
import dev.sandboxkit.lifecycle.internal.teardown.MarkerStore;
import dev.sandboxkit.lifecycle.internal.teardown.ReconcileResult;
import dev.sandboxkit.lifecycle.internal.teardown.SandboxKiller;
import dev.sandboxkit.lifecycle.internal.vm.DriverSpi;
import dev.sandboxkit.lifecycle.internal.vm.GuestPlatform;
import dev.sandboxkit.protocol.ControlMessage;
import dev.sandboxkit.protocol.FrameCodec;
import dev.sandboxkit.protocol.Preamble;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live {@link Sandbox} driving a guest that announces no capabilities, as mxc's guest does
 * ({@code {"type":"Ready"}}): an in-process guest on real Unix sockets that speaks the v1 protocol
 * (rendezvous file, nonce + role on four channels, preamble, Ready, Exec / Exit / StreamsReady and
 * fresh data channels), behind a driver whose "sandbox" is that guest.
 */
@Timeout(60)
class MxcGuestSessionTest {
  static final VmProcId GUEST = new VmProcId(4343, 88);

  @TempDir Path tmp;
  Path jar;

  @BeforeEach
  void jar() throws IOException {
    jar = Files.writeString(tmp.resolve("sandboxkit-guest.jar"), "");
  }

  Sandbox start(MxcDriver driver) throws SandboxException {
    return Sandbox.builder(driver).stateRoot(tmp.resolve("state")).guestJar(jar).forceReclaim(false).start();
  }

  @Test
  void environmentIsRejectedAndNothingIsSent() throws Exception {
    MxcDriver driver = new MxcDriver();
    try (Sandbox sandbox = start(driver)) {
      assertEquals(Set.of(), sandbox.guestCapabilities());
      SandboxException e = assertThrows(SandboxException.class,
          () -> sandbox.exec(ExecutionRequest.builder("echo $K").env("K", "V").build()));
      assertEquals(FailurePhase.REJECTED, e.phase());
      assertEquals("the guest agent does not support environment variables (an mxc guest?)", e.getMessage());
      assertTrue(e.detail().contains("'env' capability"), e.detail());
      assertThrows(SandboxException.class,
          () -> sandbox.start(ExecutionRequest.builder("true").env("K", "V").build()));
      assertEquals(List.of(), driver.guest.execs, "nothing reached the guest");
      assertTrue(sandbox.isOpen());
      // The sandbox still works without an environment.
      ExecutionResult r = sandbox.exec(ExecutionRequest.builder("hello").build());
      assertEquals("ran hello", r.stdoutText());
      assertEquals(1, driver.guest.execs.size());
      assertEquals(Map.of(), driver.guest.execs.get(0).env());
    }
  }

  @Test
  void cancelWithoutTheCapabilityTearsTheSandboxDown() throws Exception {
    MxcDriver driver = new MxcDriver();
    Sandbox sandbox = start(driver);
    assertEquals("ran first", sandbox.exec(ExecutionRequest.builder("first").build()).stdoutText());
    Execution e = sandbox.start(ExecutionRequest.builder("hang").build());
    assertTrue(driver.guest.hanging.await(10, TimeUnit.SECONDS), "the guest got the Exec");
    e.cancel();
    ExecutionResult r = e.await();
    assertEquals(FailurePhase.CANCELLED, r.failurePhase(), r.toString());
    assertTrue(r.extendedError().contains("no 'cancel' capability"), r.extendedError());
    assertFalse(sandbox.isOpen(), "the only way to stop the command was to tear the sandbox down");
    assertFalse(driver.live.contains(GUEST), "the sandbox was killed");
    assertEquals(List.of(), driver.guest.cancels, "no Cancel frame to a guest that did not announce it");
    SandboxClosedException later = assertThrows(SandboxClosedException.class,
        () -> sandbox.exec(ExecutionRequest.builder("again").build()));
    assertEquals(SandboxClosedException.Reason.CLOSED, later.reason());
    sandbox.close();
  }

  /** A driver whose sandbox is an in-process {@link MxcGuest}; its killer closes the guest. */
  static final class MxcDriver implements DriverSpi {
    final Set<VmProcId> live = Collections.synchronizedSet(new java.util.LinkedHashSet<>());
    volatile MxcGuest guest;

    @Override public String name() { return "mxc-fake"; }
    @Override public List<Check> prerequisites() { return List.of(); }
    @Override public PolicyPlan checkEnforceable(SandboxPolicy policy) {
      return new PolicyPlan(List.of(), List.of(), NetworkAccess.BLOCK);
    }
    @Override public HostSlot hostSlot() { return HostSlot.NONE; }
    @Override public ReconcileResult reconcile(MarkerStore store, boolean force) {
      return new ReconcileResult.Proceed(Optional.empty(), List.of());
    }
    @Override public GuestPlatform platform() { return GuestPlatform.POSIX; }
    @Override public Transport transport() { return Transport.UNIX; }
    @Override public Duration teardownPoll() { return Duration.ofMillis(5); }

    @Override public SandboxKiller killer() {
      return new SandboxKiller() {
        @Override public Optional<HostSnapshot> snapshot() { return Optional.of(HostSnapshot.of(List.copyOf(live))); }
        @Override public int terminate(List<VmProcId> targets) {
          int n = 0;
          for (VmProcId t : targets) {
            if (live.remove(t)) {
              guest.kill();
              n++;
            }
          }
          return n;
        }
        @Override public Optional<List<VmProcId>> stillRunning(List<VmProcId> killSet) {
          return Optional.of(killSet.stream().filter(live::contains).toList());
        }
      };
    }

    @Override public Instance prepare(Launch launch) {
      return new Instance() {
        @Override public java.nio.file.Path rendezvousView(java.nio.file.Path hostDir) { return hostDir; }
        @Override public void launch() throws SandboxException {
          try {
            guest = new MxcGuest(launch.rendezvousDir());
          } catch (IOException e) {
            throw new SandboxException(FailurePhase.LAUNCH_FAILED, "fake guest: " + e, "");
          }
          live.add(GUEST);
        }
        @Override public List<VmProcId> captureProof() { return List.of(GUEST); }
        @Override public Liveness liveness() { return live.contains(GUEST) ? Liveness.ALIVE : new Liveness(false, "killed"); }
        @Override public void close() {}
      };
    }
  }

  /** The guest side: announces no capabilities; "hang" never ends; anything else prints "ran X". */
  static final class MxcGuest {
    final List<ControlMessage.Exec> execs = Collections.synchronizedList(new ArrayList<>());
    final List<ControlMessage.Cancel> cancels = Collections.synchronizedList(new ArrayList<>());
    final CountDownLatch hanging = new CountDownLatch(1);
    private final ServerSocketChannel server;
    private final Map<ChannelRole, SocketChannel> channels = new EnumMap<>(ChannelRole.class);
    private final Thread thread;

    MxcGuest(Path rendezvous) throws IOException {
      Nonce nonce = NonceFile.consume(rendezvous);
      server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      server.bind(UnixDomainSocketAddress.of(rendezvous.resolve("g.sock")));
      Files.writeString(rendezvous.resolve(RendezvousWaiter.FILE_NAME), "unix:g.sock");
      thread = new Thread(() -> serve(nonce), "mxc-fake-guest");
      thread.setDaemon(true);
      thread.start();
    }

    private void serve(Nonce nonce) {
      try {
        accept(nonce, 4);
        OutputStream control = Channels.newOutputStream(channels.get(ChannelRole.CONTROL));
        InputStream in = Channels.newInputStream(channels.get(ChannelRole.CONTROL));
        control.write(Preamble.bytes());
        control.write(FrameCodec.encode(ControlMessage.READY));
        while (true) {
          ControlMessage m = FrameCodec.readFrame(in);
          if (m instanceof ControlMessage.Cancel c) {
            cancels.add(c);
          } else if (m instanceof ControlMessage.Exec x) {
            execs.add(x);
            if (x.scriptCode().equals("hang")) {
              hanging.countDown();
              continue;
            }
            Channels.newOutputStream(channels.get(ChannelRole.STDOUT))
                .write(("ran " + x.scriptCode()).getBytes(StandardCharsets.UTF_8));
            for (ChannelRole r : List.of(ChannelRole.STDIN, ChannelRole.STDOUT, ChannelRole.STDERR)) {
              channels.remove(r).close();
            }
            control.write(FrameCodec.encode(new ControlMessage.Exit(x.execId(), 0, "")));
            control.write(FrameCodec.encode(ControlMessage.STREAMS_READY));
            accept(nonce, 3);
          }
        }
      } catch (IOException | RuntimeException e) {
        kill(); // control closed (teardown) or a broken script: the "sandbox" ends
      }
    }

    private void accept(Nonce nonce, int n) throws IOException {
      for (int i = 0; i < n; i++) {
        SocketChannel c = server.accept();
        channels.put(Handshake.read(Channels.newInputStream(c), nonce), c);
      }
    }

    void kill() {
      try {
        server.close();
        for (SocketChannel c : List.copyOf(channels.values())) {
          c.close();
        }
      } catch (IOException ignored) {
        // best effort
      }
    }
  }
}
