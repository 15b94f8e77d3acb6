package dev.sandboxkit.cli;

/** Entry point of {@code sandboxkit.jar}. */
public final class Main {
  private Main() {}

  public static void main(String[] jvmArgs) {
    String[] args;
    try {
      args = Arguments.exact(jvmArgs); // byte for byte, whatever the locale
    } catch (Arguments.InvalidArgument e) {
      java.io.PrintWriter err = SandboxkitCommand.writer(Io.system().err());
      err.println("sandboxkit: " + e.getMessage() + ": pass text as UTF-8; pass other bytes through "
          + "stdin or a file in a mapped folder");
      err.flush();
      System.exit(ExitCodes.SANDBOX_FAILED);
      return;
    }
    RunHeadStart.startFor(args); // a run's start-up work on the second core while picocli parses
    ExecHeadStart.startFor(args); // an exec's socket set-up, likewise
    int code = SandboxkitCommand.execute(new LifecycleBackend(), Io.system(), args);
    if (Boolean.getBoolean(SandboxkitCommand.RECORD_PROPERTY)) {
      SandboxkitCommand.rehearseParsing(new LifecycleBackend()); // picocli into the launcher's archive
      try {
        ExecRehearsal.run(); // and the exec verb's client path (issue 12)
      } catch (java.io.IOException | RuntimeException e) {
        // only the archive misses those classes; this run's outcome stands
      }
    }
    System.exit(code);
  }
}
