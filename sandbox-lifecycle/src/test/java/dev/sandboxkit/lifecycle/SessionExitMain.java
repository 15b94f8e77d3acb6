package dev.sandboxkit.lifecycle;

import dev.sandboxkit.*;

import java.nio.file.Path;

/**
 * Child JVM for {@link SessionHostExitTest}: a live sandbox, one execution done, a second one running,
 * never closed; with a second argument {@code oneshot}, a one-shot run of a command that never ends.
 */
public final class SessionExitMain {
  private SessionExitMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 1 && args[1].equals("oneshot")) {
      OneShotRunner runner = OneShotRunner.builder(SandboxDrivers.byName("bubblewrap")).stateRoot(Path.of(args[0])).build();
      System.out.println("EXEC-STARTED");
      System.out.flush();
      runner.run(ExecutionRequest.builder("sleep 1000").build());
      System.out.println("UNEXPECTED-END");
      return;
    }
    Sandbox sandbox = Sandbox.builder(SandboxDrivers.byName("bubblewrap")).stateRoot(Path.of(args[0])).start();
    sandbox.exec(ExecutionRequest.builder("echo one > /tmp/one").build());
    sandbox.start(ExecutionRequest.builder("sleep 1000").build());
    System.out.println("EXEC-STARTED " + sandbox.id());
    System.out.flush();
    Thread.sleep(600_000);
    System.out.println("UNEXPECTED-END");
  }
}
