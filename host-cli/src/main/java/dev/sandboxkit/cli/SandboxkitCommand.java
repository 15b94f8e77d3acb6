package dev.sandboxkit.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The top command: lists the subcommands; prints usage when called without one. */
@Command(
    name = "sandboxkit",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    subcommands = {RunCommand.class, DoctorCommand.class, CleanupCommand.class,
        CommandLine.HelpCommand.class},
    exitCodeOnInvalidInput = ExitCodes.SANDBOX_FAILED,
    exitCodeOnExecutionException = ExitCodes.SANDBOX_FAILED,
    usageHelpAutoWidth = true,
    description = {
      "Runs an untrusted command in a fresh, disposable sandbox (bubblewrap on Linux, Windows "
          + "Sandbox on Windows), relays its stdin/stdout/stderr, returns its exit code and always "
          + "tears the sandbox down."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the command exited 0 (any other exit code of the command passes through)",
      "124:the command timed out",
      "125:the sandbox could not be prepared or launched (usage, config, policy, driver, busy)",
      "126:the command could not be started in the sandbox",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  sandboxkit run -- echo hello",
      "  sandboxkit run --rw ./work --timeout 30s -- sh -c 'make test'",
      "  sandboxkit run --config request.json",
      "  sandboxkit doctor",
      "  sandboxkit cleanup",
    })
final class SandboxkitCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.SANDBOX_FAILED;
  }

  /** The configured command line used by {@link Main} and the tests. */
  static CommandLine newCommandLine(Backend backend, Io io) {
    CommandLine cl = new CommandLine(new SandboxkitCommand(), new Factory(backend, io));
    ErrorHandler handler = new ErrorHandler();
    cl.setOut(new PrintWriter(new OutputStreamWriter(io.out(), StandardCharsets.UTF_8), true));
    cl.setErr(new PrintWriter(new OutputStreamWriter(io.err(), StandardCharsets.UTF_8), true));
    cl.setExecutionExceptionHandler(handler);
    cl.setParameterExceptionHandler(handler);
    cl.getSubcommands().get("run").setStopAtPositional(true);
    return cl;
  }

  /** Builds the subcommands with the backend and streams. */
  private record Factory(Backend backend, Io io) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> cls) throws Exception {
      if (cls == RunCommand.class) {
        return cls.cast(new RunCommand(backend, io));
      }
      if (cls == DoctorCommand.class) {
        return cls.cast(new DoctorCommand(backend));
      }
      if (cls == CleanupCommand.class) {
        return cls.cast(new CleanupCommand(backend));
      }
      return CommandLine.defaultFactory().create(cls);
    }
  }
}
