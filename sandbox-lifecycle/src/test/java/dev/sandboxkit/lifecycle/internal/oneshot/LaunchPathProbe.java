package dev.sandboxkit.lifecycle.internal.oneshot;

import dev.sandboxkit.lifecycle.internal.session.SessionSettings;
import dev.sandboxkit.lifecycle.ExecutionRequest;
import dev.sandboxkit.lifecycle.SandboxException;
import dev.sandboxkit.lifecycle.SandboxListener;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Run in a fresh JVM by {@link LaunchPathClassLoadingTest}: one one-shot run on a {@link FakeDriver}
 * that prints {@value #LAUNCH_LINE} to stdout when it is told to launch, so the test can see which
 * classes the JVM loaded before that moment ({@code -Xlog:class+load} writes to the same stdout).
 */
public final class LaunchPathProbe {
  static final String LAUNCH_LINE = "PROBE: launch";

  private LaunchPathProbe() {
  }

  public static void main(String[] args) {
    FakeDriver driver = new FakeDriver() {
      @Override
      public Instance prepare(Launch launch) throws SandboxException {
        Instance real = super.prepare(launch);
        return new Instance() {
          @Override
          public java.nio.file.Path rendezvousView(java.nio.file.Path hostDir) throws SandboxException {
            return real.rendezvousView(hostDir);
          }

          @Override
          public void launch() throws SandboxException {
            System.out.println(LAUNCH_LINE);
            System.out.flush();
            real.launch();
          }

          @Override
          public java.util.List<dev.sandboxkit.lifecycle.internal.controlplane.VmProcId> captureProof()
              throws SandboxException {
            return real.captureProof();
          }

          @Override
          public Liveness liveness() {
            return real.liveness();
          }

          @Override
          public void close() {
            real.close();
          }
        };
      }
    };
    SessionSettings settings = SessionSettings.defaults().withStateRoot(Path.of(args[0]))
        .withRendezvous(Duration.ofMillis(10), Duration.ofMillis(50)).withForceReclaim(false)
        .withBudgets(Duration.ofSeconds(5), Duration.ofSeconds(2));
    new OneShotRun(driver, settings, ExecutionRequest.builder("true").build()).run();
    System.out.println("PROBE: done");
  }
}
