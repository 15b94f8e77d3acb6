package dev.sandboxkit.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/** {@code sandboxkit cleanup}: reconciles what earlier runs left behind. */
final class CleanupCommand implements Callable<Integer>, ErrorHandler.Verbosity {
  private final Backend backend;
  private final CommandSpec spec;

  String driver;
  boolean forceReclaim;
  boolean verbose;

  CleanupCommand(Backend backend) {
    this.backend = backend;
    spec = Specs.command(this, "cleanup");
    spec.usageMessage()
        .description(
            "Finds leftovers of earlier runs whose sandboxkit process died (e.g. killed with SIGKILL) "
                + "and of sessions whose daemon died ('sandboxkit ls' shows them as gone): tears down the sandbox processes their marker proves they own, removes their run "
                + "dirs and orphan scratch dirs. Never kills a process it cannot prove it owns (unless "
                + "--force-reclaim) and never touches a live run. Every run does this too before it "
                + "starts; this command does it on demand.")
        .exitCodeList(Specs.exitCodes(
            "0:nothing left behind, or everything found was removed",
            "1:cleanup refused (a live run, or a sandbox it cannot prove it owns); see the message",
            "125:bad usage or the driver is not available"))
        .footer("  sandboxkit cleanup", "  sandboxkit cleanup --driver windows-sandbox --force-reclaim");
    spec.addOption(Specs.driverOption(this));
    spec.addOption(Specs.option(this, "forceReclaim", "--force-reclaim")
        .description("also tear down a leftover sandbox no run can be proven to own (may kill a "
            + "foreign sandbox)").build());
    spec.addOption(Specs.option(this, "verbose", "-v", "--verbose")
        .description("print error details").build());
    Specs.addStandardHelpOptions(spec);
  }

  CommandSpec spec() {
    return spec;
  }

  @Override
  public boolean verbose() {
    return verbose;
  }

  @Override
  public Integer call() {
    String name = backend.resolveDriver(driver);
    PrintWriter out = spec.commandLine().getOut();
    // sessions whose daemon died first: their sandboxes died with it, their records go
    for (String line : Sessions.manager(backend).reconcile()) {
      out.println(Text.escape(line));
    }
    Backend.CleanupReport report = backend.cleanup(name, forceReclaim);
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
