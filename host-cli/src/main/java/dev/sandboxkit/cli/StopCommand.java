package dev.sandboxkit.cli;

import dev.sandboxkit.cli.session.SessionException;
import dev.sandboxkit.cli.session.SessionManager;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/** {@code sandboxkit stop ID|NAME}: tears the sandbox down and removes the session. */
final class StopCommand implements Callable<Integer>, ErrorHandler.Verbosity {
  private final Backend backend;
  private final CommandSpec spec;

  List<String> targets = new ArrayList<>();
  boolean verbose;

  StopCommand(Backend backend) {
    this.backend = backend;
    spec = Specs.command(this, "stop");
    spec.usageMessage()
        .description("Stops the sandbox ID (or NAME): an execution still running in it is killed, the "
            + "sandbox is torn down and confirmed gone, then the session is removed. If the teardown "
            + "cannot be confirmed the session is kept (so 'sandboxkit cleanup' can still find what is "
            + "left) and the exit code is 125.")
        .exitCodeList(Specs.exitCodes(
            "0:stopped and removed",
            "125:no such sandbox, or its teardown could not be confirmed (see the message)"))
        .footer("  sandboxkit stop \"$id\"", "  sandboxkit stop build");
    spec.addOption(Specs.option(this, "verbose", "-v", "--verbose").description("print error details").build());
    spec.addPositional(Specs.positionals(this, "targets")
        .paramLabel("ID|NAME").arity("1").description("the sandbox to stop").build());
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
    SessionManager m = Sessions.manager(backend);
    String target = targets.get(0);
    try {
      String id = m.store().resolve(target);
      m.remove(id);
      PrintWriter out = spec.commandLine().getOut();
      out.println("stopped " + id);
      out.flush();
      return ExitCodes.OK;
    } catch (SessionException e) {
      throw Sessions.toCli(e);
    }
  }
}
