package dev.sandboxkit.cli;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import dev.sandboxkit.cli.session.DaemonMain;
import dev.sandboxkit.cli.session.LibrarySandboxes;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** The top command: lists the subcommands; prints usage when called without one. */
final class SandboxkitCommand implements Callable<Integer> {
  /** The subcommands, in the order the usage help lists them. */
  static final List<String> SUBCOMMANDS =
      List.of("run", "start", "exec", "stop", "ls", "doctor", "cleanup", "prepare", "help");
  /** Set by the launcher on the run that records the classes for its AppCDS archive. */
  static final String RECORD_PROPERTY = "sandboxkit.cli.cds.record";

  /**
   * Each CommandLine registers converters for the java.time and java.sql types by reflection
   * (Class.forName runs their static initializers: ~15 ms of start-up); no option has those types.
   * picocli matches these patterns against the type names and skips the matches.
   */
  private static final String CONVERTER_EXCLUDES = "picocli.converters.excludes";
  private static final String NOT_USED_TYPES = "java\\.(time|sql)\\..*";

  private final CommandSpec spec = Specs.command(this, "sandboxkit");

  SandboxkitCommand() {
    spec.usageMessage()
        .description(
            "Runs an untrusted command in a fresh, disposable sandbox (bubblewrap on Linux, Windows "
                + "Sandbox on Windows), relays its stdin/stdout/stderr, returns its exit code and always "
                + "tears the sandbox down.")
        .exitCodeList(Specs.exitCodes(
            "0:the command exited 0 (any other exit code of the command passes through)",
            "124:the command timed out",
            "125:the sandbox could not be prepared or launched (usage, config, policy, driver, busy)",
            "126:the command could not be started in the sandbox",
            "130:interrupted (Ctrl-C)",
            "141:the reader of stdout went away (as in '| head')"))
        .footer(
            "  sandboxkit run -- echo hello",
            "  sandboxkit run --here --timeout 30s -- sh -c 'make test'",
            "  sandboxkit run --config request.json",
            "  id=$(sandboxkit start) && sandboxkit exec \"$id\" -- echo hi && sandboxkit stop \"$id\"",
            "  sandboxkit doctor",
            "  sandboxkit cleanup",
            "  sandboxkit prepare");
    Specs.addStandardHelpOptions(spec);
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.SANDBOX_FAILED;
  }

  /**
   * Runs {@code args} as {@link Main} does: {@code run -- COMMAND...} directly ({@link DirectRun}),
   * anything else through the command line {@link #newCommandLine(Backend, Io, String[])} builds.
   */
  static int execute(Backend backend, Io io, String[] args) {
    if (DirectRun.applies(args)) {
      return DirectRun.execute(backend, io, args);
    }
    if (ExecCommand.appliesDirect(args)) {
      return ExecCommand.direct(io, args);
    }
    if (args.length > 0 && args[0].equals(DaemonMain.VERB)) { // hidden: the session daemon
      CliLog.verbosity(false, true); // its stderr is daemon.log: notes too (never secrets)
      return DaemonMain.run(args, new LibrarySandboxes(), io.in(),
          new java.io.PrintStream(io.err(), true, StandardCharsets.UTF_8));
    }
    return newCommandLine(backend, io, args).execute(args);
  }

  /**
   * Builds every command and parses a run with options, executing nothing: for the launcher's
   * class-list recording run (system property {@value #RECORD_PROPERTY}), so the AppCDS archive it
   * dumps also holds picocli's classes, which {@code run -- COMMAND} ({@link DirectRun}) never loads.
   */
  static void rehearseParsing(Backend backend) {
    Io io = new Io(InputStream.nullInputStream(), OutputStream.nullOutputStream(),
        OutputStream.nullOutputStream(), false, false);
    newCommandLine(backend, io).parseArgs("run", "--driver", "auto", "--rw", "/a", "--ro", "/b", "--deny", "/c",
        "--network", "block", "--timeout", "1s", "--cwd", "/d", "-q", "--json", "--", "true");
  }

  /** The configured command line with every subcommand (the tests; any arguments). */
  static CommandLine newCommandLine(Backend backend, Io io) {
    return newCommandLine(backend, io, SUBCOMMANDS);
  }

  /**
   * The command line {@link Main} runs {@code args} with. Building a command's model costs start-up
   * time, so only the commands these arguments can reach are built: when the first argument names
   * a subcommand, that one alone (picocli's parser then never looks at the others: run, doctor and
   * cleanup have no subcommands, and no option of the top command can precede the name); a lone
   * --version or -V needs none; anything else gets all (help, usage errors with suggestions).
   * Output and exit codes are the same as with {@link #newCommandLine(Backend, Io)} (FastPathTest).
   */
  static CommandLine newCommandLine(Backend backend, Io io, String[] args) {
    return newCommandLine(backend, io, reachable(args));
  }

  /** The subcommands {@code args} can reach (see {@link #newCommandLine(Backend, Io, String[])}). */
  static List<String> reachable(String[] args) {
    if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
      return List.of();
    }
    if (args.length > 0 && !args[0].equals("help") && SUBCOMMANDS.contains(args[0])) {
      return List.of(args[0]);
    }
    return SUBCOMMANDS;
  }

  private static CommandLine newCommandLine(Backend backend, Io io, List<String> subcommands) {
    if (System.getProperty(CONVERTER_EXCLUDES) == null) {
      System.setProperty(CONVERTER_EXCLUDES, NOT_USED_TYPES);
    }
    CommandLine cl = new CommandLine(new SandboxkitCommand().spec);
    for (String name : subcommands) {
      cl.addSubcommand(name, switch (name) {
        case "run" -> new CommandLine(new RunCommand(backend, io).spec());
        case "doctor" -> new CommandLine(new DoctorCommand(backend).spec());
        case "cleanup" -> new CommandLine(new CleanupCommand(backend).spec());
        case "prepare" -> new CommandLine(new PrepareCommand(backend, io).spec());
        case "start" -> new CommandLine(new StartCommand(backend).spec());
        case "exec" -> new CommandLine(new ExecCommand(io).spec());
        case "stop" -> new CommandLine(new StopCommand(backend).spec());
        case "ls" -> new CommandLine(new LsCommand(backend).spec());
        default -> new CommandLine.HelpCommand();
      });
    }
    ErrorHandler handler = new ErrorHandler();
    cl.setOut(writer(io.out()));
    cl.setErr(writer(io.err()));
    cl.setExecutionExceptionHandler(handler);
    cl.setParameterExceptionHandler(handler);
    // A word starting with @ is passed on as it is, not replaced by a host file's contents (picocli
    // expands @-files by default, even after --): `run -- curl -d @body.json` must reach the guest.
    cl.setExpandAtFiles(false);
    CommandLine run = cl.getSubcommands().get("run");
    if (run != null) {
      run.setStopAtPositional(true);
    }
    CommandLine exec = cl.getSubcommands().get("exec");
    if (exec != null) {
      exec.setStopAtPositional(true);
    }
    return cl;
  }

  /** The UTF-8, auto-flushing writer every command prints through (picocli's and {@link DirectRun}'s). */
  static PrintWriter writer(OutputStream out) {
    return new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
  }
}
