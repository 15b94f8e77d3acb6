package dev.sandboxkit.guest;

import dev.sandboxkit.auth.Nonce;
import dev.sandboxkit.auth.NonceFile;
import dev.sandboxkit.guest.executor.ControlLoop;
import dev.sandboxkit.guest.firewall.NetworkMode;
import dev.sandboxkit.guest.listener.Transport;
import dev.sandboxkit.guest.testhost.TestHost;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Starts the agent in-process on a thread, the way Main would, with a fresh nonce file. */
final class AgentRun implements AutoCloseable {
  final Nonce nonce;
  final CompletableFuture<Integer> exit;
  final TestHost host;

  private AgentRun(Nonce nonce, CompletableFuture<Integer> exit, TestHost host) {
    this.nonce = nonce;
    this.exit = exit;
    this.host = host;
  }

  static AgentRun start(Path dir, Transport transport, NetworkMode network) throws Exception {
    return start(dir, transport, network, ControlLoop.Settings.DEFAULTS);
  }

  static AgentRun start(Path dir, Transport transport, NetworkMode network, ControlLoop.Settings settings)
      throws Exception {
    Nonce nonce = Nonce.generate();
    NonceFile.write(dir, nonce);
    AgentOptions o =
        new AgentOptions(
            dir, transport, network, transport == Transport.TCP ? "127.0.0.1" : null, false, false,
            false, Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(60));
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                exit.complete(new Agent(o, settings).run());
              } catch (Throwable e) {
                exit.completeExceptionally(e);
              }
            },
            "agent-under-test");
    t.setDaemon(true);
    t.start();
    TestHost host;
    try {
      host = TestHost.rendezvous(dir, nonce, Duration.ofSeconds(10));
    } catch (Exception e) {
      if (exit.isDone()) {
        throw new IllegalStateException("agent exited with " + exit.getNow(null) + " before rendezvous", e);
      }
      throw e;
    }
    return new AgentRun(nonce, exit, host);
  }

  /** Closes the host side and returns the agent's exit code. */
  int closeAndAwaitExit() throws Exception {
    host.close();
    return exit.get(15, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    host.close();
    exit.get(15, TimeUnit.SECONDS);
  }
}
