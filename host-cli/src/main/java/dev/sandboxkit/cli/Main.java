package dev.sandboxkit.cli;

/** Entry point of {@code sandboxkit.jar}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    RunHeadStart.startFor(args); // a run's start-up work on the second core while picocli parses
    int code = SandboxkitCommand.execute(new LifecycleBackend(), Io.system(), args);
    if (Boolean.getBoolean(SandboxkitCommand.RECORD_PROPERTY)) {
      SandboxkitCommand.rehearseParsing(new LifecycleBackend()); // picocli into the launcher's archive
    }
    System.exit(code);
  }
}
