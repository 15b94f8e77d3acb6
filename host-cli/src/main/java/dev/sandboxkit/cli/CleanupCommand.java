package dev.sandboxkit.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sandboxkit cleanup}: reconciles what earlier runs left behind. */
@Command(
    name = "cleanup",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    usageHelpAutoWidth = true,
    exitCodeOnInvalidInput = ExitCodes.SANDBOX_FAILED,
    exitCodeOnExecutionException = ExitCodes.SANDBOX_FAILED,
    description = {
      "Finds leftovers of earlier runs whose sandboxkit process died (e.g. killed with SIGKILL): "
          + "tears down the sandbox processes their marker proves they own, removes their run "
          + "dirs and orphan scratch dirs. Never kills a process it cannot prove it owns (unless "
          + "--force-reclaim) and never touches a live run. Every run does this too before it "
          + "starts; this command does it on demand.",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:nothing left behind, or everything found was removed",
      "1:cleanup refused (a live run, or a sandbox it cannot prove it owns); see the message",
      "125:bad usage or the driver is not available",
    },
    footerHeading = "%nExamples:%n",
    footer = {"  sandboxkit cleanup", "  sandboxkit cleanup --driver windows-sandbox --force-reclaim"})
final class CleanupCommand implements Callable<Integer>, ErrorHandler.Verbosity {
  private final Backend backend;

  @Spec CommandSpec spec;

  @Option(names = "--driver", paramLabel = "NAME", defaultValue = "auto",
      description = "auto (default), bubblewrap or windows-sandbox")
  String driver;

  @Option(names = "--force-reclaim",
      description = "also tear down a leftover sandbox no run can be proven to own (may kill a "
          + "foreign sandbox)")
  boolean forceReclaim;

  @Option(names = {"-v", "--verbose"}, description = "print error details")
  boolean verbose;

  CleanupCommand(Backend backend) {
    this.backend = backend;
  }

  @Override
  public boolean verbose() {
    return verbose;
  }

  @Override
  public Integer call() {
    String name = backend.resolveDriver(driver);
    Backend.CleanupReport report = backend.cleanup(name, forceReclaim);
    PrintWriter out = spec.commandLine().getOut();
    if (report.refused()) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("sandboxkit: cleanup refused: " + String.join("; ", report.lines()));
      err.flush();
      return ExitCodes.NOT_READY;
    }
    if (report.lines().isEmpty()) {
      out.println("nothing to clean up (" + name + ")");
    } else {
      report.lines().forEach(l -> out.println(Text.escape(l)));
    }
    out.flush();
    return ExitCodes.OK;
  }
}
