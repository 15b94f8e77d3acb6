package dev.sandboxkit.cli;

/** Runs {@link ExecRehearsal} in a fresh JVM (for {@link ExecRehearsalTest}'s class-load log). */
public final class ExecRehearsalProbe {
  private ExecRehearsalProbe() {}

  public static void main(String[] args) throws Exception {
    int code = ExecRehearsal.run();
    System.out.println("PROBE: exit " + code);
    System.exit(code);
  }
}
