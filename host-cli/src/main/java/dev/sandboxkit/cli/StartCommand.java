package dev.sandboxkit.cli;

import dev.sandboxkit.cli.session.SessionException;
import dev.sandboxkit.cli.session.SessionManager;
import dev.sandboxkit.cli.session.SessionRecord;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/** {@code sandboxkit start}: a sandbox that stays up for many {@code exec}s, owned by a daemon. */
final class StartCommand implements Callable<Integer>, ErrorHandler.Verbosity {
  private final Backend backend;
  private final CommandSpec spec;

  String driver;
  List<String> readWrite = new ArrayList<>();
  List<String> readOnly = new ArrayList<>();
  List<String> deny = new ArrayList<>();
  String network;
  Duration idleTimeout;
  String name;
  boolean quiet;
  boolean verbose;
  final LimitOptions limits = new LimitOptions();

  StartCommand(Backend backend) {
    this.backend = backend;
    spec = Specs.command(this, "start");
    spec.usageMessage()
        .description(
            "Starts a sandbox that stays up: prints its id on stdout and exits 0 once it is ready. "
                + "Run commands in it with 'sandboxkit exec ID -- COMMAND' and stop it with "
                + "'sandboxkit stop ID'. A daemon (a detached sandboxkit process, immune to Ctrl-C "
                + "here) owns the sandbox between calls; if the daemon dies, its sandbox dies with it "
                + "and 'sandboxkit ls' shows it as gone. The policy is fixed at start.")
        .exitCodeList(Specs.exitCodes(
            "0:the sandbox is ready; its id is on stdout",
            "125:bad usage, policy rejected, or the sandbox did not start (nothing is left running)"))
        .footer(
            "  id=$(sandboxkit start --rw \"$PWD/work\")",
            "  sandboxkit exec \"$id\" -- sh -c 'echo hi > work/a'",
            "  sandboxkit stop \"$id\"",
            "  sandboxkit start --name build --idle-timeout 10m");
    spec.addOption(Specs.driverOption(this));
    spec.addOption(Specs.option(this, "readWrite", "--rw")
        .paramLabel("PATH").description("map a host directory read-write, at the same path (repeatable)").build());
    spec.addOption(Specs.option(this, "readOnly", "--ro")
        .paramLabel("PATH").description("map a host directory read-only, at the same path (repeatable)").build());
    spec.addOption(Specs.option(this, "deny", "--deny")
        .paramLabel("PATH").description("an absolute host path that must stay invisible (repeatable)").build());
    spec.addOption(Specs.option(this, "network", "--network")
        .paramLabel("block|allow").description("block: loopback only (default); allow: the host's network").build());
    spec.addOption(Specs.option(this, "idleTimeout", "--idle-timeout")
        .paramLabel("DURATION").converters(new DurationConverter())
        .description("stop the sandbox after this long without an execution, e.g. 10m (default: never)").build());
    spec.addOption(Specs.option(this, "name", "--name")
        .paramLabel("NAME").description("a unique name to use instead of the id (a-z 0-9 _ -, "
            + "starting with a letter)").build());
    limits.addTo(spec);
    spec.addOption(Specs.option(this, "quiet", "-q", "--quiet").description("no notes").build());
    spec.addOption(Specs.option(this, "verbose", "-v", "--verbose").description("print notes and error details").build());
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
    String driverName = backend.resolveDriver(driver);
    PathLists lists;
    try {
      lists = PathLists.resolve(readWrite, readOnly, deny);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("invalid path: " + e.getMessage(), "fix or remove that path");
    }
    List<String> rw = absolute(lists.readWrite());
    List<String> ro = absolute(lists.readOnly());
    List<Path> mapped = new ArrayList<>();
    rw.forEach(p -> mapped.add(Path.of(p)));
    ro.forEach(p -> mapped.add(Path.of(p)));
    Sessions.refuseStateRoot(mapped, Sessions.store().root());
    String net = network == null ? "block" : network.toLowerCase(Locale.ROOT);
    if (!net.equals("block") && !net.equals("allow")) {
      throw CliException.usage("invalid --network '" + Text.escape(network) + "'",
          "use --network block (loopback only) or --network allow (the host's network)");
    }
    if (name != null && !dev.sandboxkit.cli.session.SessionId.isName(name)) {
      throw CliException.usage("invalid --name '" + Text.escape(name) + "'", "use 1-32 characters "
          + "a-z 0-9 _ -, starting with a letter (8 hex digits would read as an id)");
    }
    long idleMs = idleTimeout == null ? 0 : idleTimeout.toMillis();
    dev.sandboxkit.lifecycle.SandboxPolicy.Builder withLimits = dev.sandboxkit.lifecycle.SandboxPolicy.builder();
    limits.applyTo(withLimits);
    dev.sandboxkit.lifecycle.ResourceLimits resourceLimits = withLimits.build().limits();
    PrintWriter err = spec.commandLine().getErr();
    SessionManager m = Sessions.manager(backend);
    for (String line : m.reconcile()) {
      if (verbose) {
        err.println("sandboxkit: note: " + Text.escape(line));
      }
    }
    SessionRecord rec;
    try {
      rec = m.provision("cli", driverName, Optional.ofNullable(name), rw, ro, lists.denied(), net, idleMs,
          resourceLimits);
    } catch (SessionException e) {
      throw Sessions.toCli(e);
    }
    try {
      m.start(rec.id());
    } catch (SessionException e) {
      try {
        m.store().delete(rec.id(), rec.name());
      } catch (SessionException ignored) {
        // the start failure is the one to report
      }
      throw Sessions.toCli(e);
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(rec.id());
    out.flush();
    return ExitCodes.OK;
  }

  private static List<String> absolute(List<String> in) {
    List<String> out = new ArrayList<>();
    for (String p : in) {
      out.add(Path.of(p).toAbsolutePath().normalize().toString());
    }
    return out;
  }
}
