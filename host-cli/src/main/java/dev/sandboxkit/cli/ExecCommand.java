package dev.sandboxkit.cli;

import dev.sandboxkit.cli.session.DaemonClient;
import dev.sandboxkit.cli.session.SessionException;
import dev.sandboxkit.cli.session.SessionStore;
import dev.sandboxkit.cli.session.Wire;
import dev.sandboxkit.lifecycle.ExecutionResult;
import dev.sandboxkit.lifecycle.FailurePhase;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/** {@code sandboxkit exec ID|NAME -- COMMAND}: one command in a running sandbox, like {@code run}. */
final class ExecCommand implements Callable<Integer>, ErrorHandler.Verbosity {
  private final Io io;
  private final CommandSpec spec;

  List<String> env = new ArrayList<>();
  List<String> envPass = new ArrayList<>();
  String cwd;
  Duration timeout;
  boolean json;
  /** --json-limit, --fail-on-truncation: as run's. */
  final JsonOptions jsonOptions = new JsonOptions();
  boolean verbose;
  List<String> words = new ArrayList<>();

  /** Where the sessions are; null: {@link Sessions#store()}. */
  private SessionStore store;
  private PrintWriter directOut;
  private PrintWriter directErr;

  ExecCommand(Io io) {
    this.io = io;
    spec = Specs.command(this, "exec");
    spec.usageMessage()
        .customSynopsis("sandboxkit exec [OPTIONS] ID|NAME -- COMMAND [ARGS...]")
        .description(
            "Runs COMMAND in the running sandbox ID (or NAME) and exits with its exit code, as "
                + "'sandboxkit run' does: output streams live, stdin is forwarded when it is a pipe "
                + "or a file, COMMAND and ARGS arrive as given. Files and processes the sandbox "
                + "keeps between executions stay (it is the same sandbox). One execution at a time: "
                + "while one runs, another exec fails at once with exit 125 (it never waits). "
                + "Ctrl-C cancels this execution only; the sandbox stays up.")
        .exitCodeList(Specs.exitCodes(
            "0:the command exited 0 (any other exit code of the command passes through)",
            "122:with --json --fail-on-truncation: stdout or stderr was cut at --json-limit",
            "124:the command timed out (the sandbox stays usable)",
            "125:no such sandbox, it is not running, or it is busy with another exec (nothing was run)",
            "126:the command could not be started in the sandbox",
            "130:cancelled with Ctrl-C",
            "141:our stdout was closed by its reader (the command was cancelled)"))
        .footer(
            "  sandboxkit exec \"$id\" -- echo hello",
            "  sandboxkit exec --env GREETING=hi \"$id\" -- sh -c 'echo $GREETING'",
            "  echo data | sandboxkit exec build -- cat",
            "  sandboxkit exec --json --timeout 30s \"$id\" -- uname -a");
    EnvOptions.addTo(spec, this, "env", "envPass");
    spec.addOption(Specs.option(this, "cwd", "--cwd")
        .paramLabel("DIR").description("working directory inside the sandbox (default: the guest's own)").build());
    spec.addOption(Specs.option(this, "timeout", "--timeout")
        .paramLabel("DURATION").converters(new DurationConverter())
        .description("kill the command after e.g. 500ms, 30s, 2m (exit 124); 0 = none (default)").build());
    spec.addOption(Specs.option(this, "json", "--json")
        .description("capture the output and print one JSON result on stdout (as run --json)").build());
    jsonOptions.addTo(spec);
    spec.addOption(Specs.option(this, "verbose", "-v", "--verbose").description("print error details").build());
    spec.addPositional(Specs.positionals(this, "words")
        .paramLabel("ID|NAME -- COMMAND").arity("0..*")
        .description("the sandbox, then the command and its arguments (after --)").build());
    Specs.addStandardHelpOptions(spec);
  }

  /** For {@link #direct}: no picocli model, options at their defaults. */
  private ExecCommand(Io io, List<String> words, PrintWriter out, PrintWriter err) {
    this.io = io;
    this.spec = null;
    this.words.addAll(words);
    this.directOut = out;
    this.directErr = err;
  }

  CommandSpec spec() {
    return spec;
  }

  @Override
  public boolean verbose() {
    return verbose;
  }

  private PrintWriter out() {
    return directOut != null ? directOut : spec.commandLine().getOut();
  }

  private PrintWriter err() {
    return directErr != null ? directErr : spec.commandLine().getErr();
  }

  /** True for {@code exec ID -- COMMAND...} with no option: run without picocli (start-up time). */
  static boolean appliesDirect(String[] args) {
    return args.length >= 4 && args[0].equals("exec") && !args[1].startsWith("-") && args[2].equals("--");
  }

  static int direct(Io io, String[] args) {
    return direct(io, args, null);
  }

  /** {@link #direct(Io, String[])} with the sessions in {@code store} (null: {@link Sessions#store()}). */
  static int direct(Io io, String[] args, SessionStore store) {
    PrintWriter out = SandboxkitCommand.writer(io.out());
    PrintWriter err = SandboxkitCommand.writer(io.err());
    List<String> words = new ArrayList<>(List.of(args).subList(1, args.length));
    ExecCommand c = new ExecCommand(io, words, out, err);
    c.store = store;
    try {
      return c.call();
    } catch (Exception ex) {
      CliException e = ErrorHandler.toCli(ex);
      ErrorHandler.print(err, e, false, ex);
      return e.exitCode();
    }
  }

  @Override
  public Integer call() {
    if (words.isEmpty()) {
      throw CliException.usage("no sandbox given", "pass the id 'sandboxkit start' printed, e.g. "
          + "'sandboxkit exec ID -- echo hello'");
    }
    String target = words.get(0);
    List<String> command = new ArrayList<>(words.subList(1, words.size()));
    if (!command.isEmpty() && command.get(0).equals("--")) {
      command.remove(0);
    }
    if (command.isEmpty()) {
      throw CliException.usage("no command to run", "pass it after --, e.g. 'sandboxkit exec "
          + Text.escape(target) + " -- echo hello'");
    }
    if (cwd != null && cwd.indexOf('\0') >= 0) {
      throw CliException.usage("--cwd contains a NUL character", "remove it");
    }
    long cap = jsonOptions.cap(json);
    Map<String, String> vars = EnvOptions.resolve(List.of(), env, envPass, System.getenv());
    long timeoutMs = timeout == null ? 0 : timeout.toMillis();
    if (timeout != null && !timeout.isZero() && timeoutMs == 0) {
      timeoutMs = 1;
    }
    Wire.ExecRequest req = new Wire.ExecRequest(command, Optional.empty(), cwd == null ? "" : cwd,
        timeoutMs, vars);
    SessionStore store = this.store != null ? this.store : Sessions.store();
    String id;
    DaemonClient.Exec exec;
    try {
      id = store.resolve(target);
      exec = ExecClient.admit(store, id, req);
    } catch (SessionException e) {
      throw Sessions.toCli(e);
    } catch (DaemonClient.Refused e) {
      throw ExecClient.refused(target, e);
    } catch (DaemonClient.NotRunning e) {
      throw ExecClient.notRunning(target);
    } catch (IOException e) {
      throw new CliException("cannot reach the daemon of sandbox " + Text.escape(target) + ": "
          + Text.escape(e.getMessage()), "'sandboxkit ls' shows its state", "", ExitCodes.SANDBOX_FAILED);
    }
    // --json: bounded captures, streamed into the JSON (the host holds at most the cap per stream)
    BoundedCapture capturedOut = new BoundedCapture(json ? cap : 0);
    BoundedCapture capturedErr = new BoundedCapture(json ? cap : 0);
    ExecClient.Outcome o;
    try {
      o = json ? ExecClient.relay(exec, io, capturedOut, capturedErr) : ExecClient.relay(exec, io);
    } catch (IOException e) {
      throw new CliException("the execution in sandbox " + Text.escape(target) + " was cut off: "
          + Text.escape(e.getMessage()), "'sandboxkit ls' shows whether the sandbox is still running",
          "", ExitCodes.COMMAND_NOT_STARTED);
    }
    ExecutionResult r = o.result();
    if (json) {
      String truncation = JsonOptions.truncation(capturedOut, capturedErr);
      boolean strictFailure = jsonOptions.failOnTruncation && truncation != null
          && !RunFailure.isSandboxkitFailure(r) && r.failurePhase() != FailurePhase.TIMED_OUT
          && r.failurePhase() != FailurePhase.CANCELLED;
      try {
        JsonResult.write(out(), r, strictFailure && r.errorMessage().isEmpty() ? truncation : r.errorMessage(),
            capturedOut, capturedErr);
        out().println();
      } catch (IOException e) {
        // the reader of our stdout went away; the exit code still tells
      }
      out().flush();
      if (strictFailure) {
        ErrorHandler.print(err(), new CliException(truncation,
            "write large output to a file in a mapped folder (--rw), raise --json-limit, or run without --json",
            "", ExitCodes.OUTPUT_TRUNCATED), verbose, null);
        return ExitCodes.OUTPUT_TRUNCATED;
      }
    }
    int code = ExecClient.report(r, err(), verbose);
    return o.brokenPipe() ? ExecClient.BROKEN_PIPE : code;
  }
}
