package dev.sandboxkit.cli;

/** Entry point of {@code sandboxkit.jar}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    RunHeadStart.startFor(args); // a run's start-up work on the second core while picocli parses
    System.exit(SandboxkitCommand.execute(new LifecycleBackend(), Io.system(), args));
  }
}
