package dev.sandboxkit.cli;

/** Entry point of {@code sandboxkit.jar}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(SandboxkitCommand.newCommandLine(new LifecycleBackend(), Io.system(), args).execute(args));
  }
}
