package dev.sandboxkit.lifecycle;

import dev.sandboxkit.*;

import java.nio.file.Path;

/** Child JVM for {@link HostJvmKilledTest}: runs a long command and announces when it runs. */
public final class KillMeMain {
  private KillMeMain() {}

  public static void main(String[] args) {
    OneShotRunner runner = OneShotRunner.builder(SandboxDrivers.byName("bubblewrap"))
        .stateRoot(Path.of(args[0]))
        .listener(new SandboxListener() {
          @Override
          public void execStart(String sandboxId, String executionId) {
            System.out.println("EXEC-STARTED");
            System.out.flush();
          }
        })
        .build();
    ExecutionResult r = runner.run(ExecutionRequest.builder("sleep 1000").build());
    System.out.println("UNEXPECTED-END " + r);
  }
}
