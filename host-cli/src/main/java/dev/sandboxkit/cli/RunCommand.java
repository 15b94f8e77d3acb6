package dev.sandboxkit.cli;

import dev.sandboxkit.lifecycle.internal.session.MemoryLimitNote;
import dev.sandboxkit.lifecycle.ExecutionRequest;
import dev.sandboxkit.lifecycle.ExecutionResult;
import dev.sandboxkit.lifecycle.FailurePhase;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/** {@code sandboxkit run}: one command in a fresh sandbox. */
final class RunCommand implements Callable<Integer>, ErrorHandler.Verbosity {
  /** {@code --driver}'s default value. */
  static final String DEFAULT_DRIVER = "auto";

  private final Backend backend;
  private final Io io;
  private final CommandSpec spec;

  String driver;
  Path config;
  String configBase64;
  List<String> readWrite = new ArrayList<>();
  /** --memory, --pids, --cpus, --tmp-size. */
  final LimitOptions limits = new LimitOptions();
  List<String> readOnly = new ArrayList<>();
  List<String> deny = new ArrayList<>();
  String network;
  Duration timeout;
  String cwd;
  boolean here;
  List<String> env = new ArrayList<>();
  List<String> envPass = new ArrayList<>();
  boolean forceReclaim;
  boolean json;
  /** --json-limit, --fail-on-truncation. */
  final JsonOptions jsonOptions = new JsonOptions();
  boolean quiet;
  boolean verbose;
  List<String> command = new ArrayList<>();

  /** Set by {@link DirectRun}, which runs this command without a picocli model. */
  private PrintWriter directOut;
  private PrintWriter directErr;

  RunCommand(Backend backend, Io io) {
    this.backend = backend;
    this.io = io;
    spec = Specs.command(this, "run");
    spec.usageMessage()
        .customSynopsis(
            "sandboxkit run [OPTIONS] [--] COMMAND [ARGS...]",
            "sandboxkit run [OPTIONS] (--config FILE | --config-base64 B64) [[--] COMMAND [ARGS...]]")
        .description(
            "Runs COMMAND in a fresh sandbox and tears it down. Output streams live; stdin is forwarded "
                + "when it is a pipe or a file (a terminal stdin is not forwarded: the command reads end "
                + "of file). Exits with the command's exit code.",
            "",
            "COMMAND and ARGS are joined into one command line for the guest's shell with quoting, so "
                + "each argument arrives as given: /bin/sh -c with POSIX single quotes (bubblewrap), "
                + "cmd.exe /C with cmd quoting (windows-sandbox). For shell syntax, run a shell: "
                + "-- sh -c 'a && b'.",
            "",
            "--config / --config-base64 take an mxc one-shot request (JSON). Its containment must be "
                + "\"windows_sandbox\" or \"vm\"; it is run by the driver chosen with --driver (bubblewrap "
                + "on Linux). Supported: process.commandLine/timeout (ms, 0 = none)/cwd/env, "
                + "filesystem.readwritePaths/readonlyPaths/deniedPaths, network.defaultPolicy/"
                + "allowedHosts/blockedHosts/proxy (what the driver cannot enforce is rejected), "
                + "experimental.windows_sandbox legacy fields (ignored). Unknown keys are rejected. A COMMAND replaces "
                + "process.commandLine; options replace or add to the config's values.",
            "",
            "mxc state-aware requests (\"phase\": provision | start | exec | stop | deprovision, "
                + "\"sandboxId\": \"wsb:<8 hex>\") run over a session daemon, as 'sandboxkit start' "
                + "does: non-exec phases print one JSON envelope ({\"result\":{...}} exit 0, or "
                + "{\"error\":{\"code\":...,\"message\":...}} exit 1); exec relays the streams and "
                + "exits with the command's code, 124 when process.timeout killed it (the sandbox stays "
                + "usable), 130 on Ctrl-C (that execution only). The policy is fixed at provision.",
            "")
        .exitCodeList(Specs.exitCodes(
            "0:the command exited 0 (any other exit code of the command passes through)",
            "122:with --json --fail-on-truncation: stdout or stderr was cut at --json-limit",
            "124:the command timed out",
            "125:the sandbox could not be prepared or launched: bad option or config, policy rejected, "
                + "driver unavailable, busy (nothing was run)",
            "126:the sandbox started but the command could not be started in it (or the guest agent "
                + "stopped)",
            "130:interrupted (Ctrl-C; SIGTERM 143, SIGHUP 129): the sandbox is torn down",
            "141:the reader of stdout went away (as in '| head'): the sandbox is torn down"))
        .footer(
            "  sandboxkit run -- echo hello",
            "  sandboxkit run -- sh -c 'exit 3'; echo $?          # 3",
            "  echo data | sandboxkit run -- cat",
            "  sandboxkit run --here --timeout 2m -- make -C src     # in the current folder",
            "  sandboxkit run --ro src --rw out --cwd out -- cp ../src/Makefile .",
            "  sandboxkit run --network allow -- curl -sI https://example.com",
            "  sandboxkit run --json -- uname -a",
            "  sandboxkit run --config request.json",
            "  sandboxkit run --config-base64 \"$(base64 -w0 request.json)\" -- echo override",
            "",
            "--json prints one object on stdout instead of streaming:",
            "  {\"exit_code\":0,\"stdout\":\"...\",\"stderr\":\"...\",\"error_message\":\"\","
                + "\"extended_error\":\"\",\"failure_phase\":\"None\",\"stdout_truncated\":false,"
                + "\"stderr_truncated\":false}",
            "  failure_phase: None | Rejected | LaunchFailed | PostLaunchFailed | ProcessExited | Timeout",
            "  Each stream is cut at --json-limit (64m): *_truncated says so; --fail-on-truncation "
                + "makes a cut exit 122.");
    spec.addOption(Specs.option(this, "driver", "--driver")
        .paramLabel("NAME").defaultValue(DEFAULT_DRIVER)
        .description("auto (default: bubblewrap on Linux, windows-sandbox on Windows), bubblewrap "
            + "or windows-sandbox").build());
    spec.addOption(Specs.option(this, "config", "--config")
        .paramLabel("FILE").description("an mxc one-shot request file (JSON)").build());
    spec.addOption(Specs.option(this, "configBase64", "--config-base64")
        .paramLabel("B64")
        .description("the request as standard base64 (as the mxc SDKs pass it)").build());
    spec.addOption(Specs.option(this, "readWrite", "--rw")
        .paramLabel("PATH")
        .description("map a host directory read-write, at the same path (repeatable)").build());
    spec.addOption(Specs.option(this, "readOnly", "--ro")
        .paramLabel("PATH")
        .description("map a host directory read-only, at the same path (repeatable)").build());
    spec.addOption(Specs.option(this, "deny", "--deny")
        .paramLabel("PATH")
        .description("an absolute host path that must stay invisible (repeatable)").build());
    spec.addOption(Specs.option(this, "network", "--network")
        .paramLabel("block|allow")
        .description("block: loopback only (default); allow: the host's network").build());
    spec.addOption(Specs.option(this, "timeout", "--timeout")
        .paramLabel("DURATION").converters(new DurationConverter())
        .description("kill the command after e.g. 500ms, 30s, 2m, 1h (exit 124); 0 = no timeout "
            + "(default, or process.timeout)").build());
    spec.addOption(Specs.option(this, "cwd", "--cwd")
        .paramLabel("DIR")
        .description("working directory inside the sandbox (default: the guest's own, /tmp on "
            + "Linux); a relative DIR resolves against the current folder, as --rw/--ro do").build());
    spec.addOption(Specs.option(this, "here", "--here")
        .description("map the current folder read-write (at the same path) and start the "
            + "command in it, like docker's -v \"$PWD:$PWD\" -w \"$PWD\"").build());
    limits.addTo(spec);
    EnvOptions.addTo(spec, this, "env", "envPass");
    spec.addOption(Specs.option(this, "forceReclaim", "--force-reclaim")
        .description("tear down a leftover sandbox that no live run can be proven to own "
            + "(as mxc's --force-reclaim; also env SANDBOXKIT_FORCE_RECLAIM)").build());
    spec.addOption(Specs.option(this, "json", "--json")
        .description("capture the output and print one JSON result on stdout").build());
    jsonOptions.addTo(spec);
    spec.addOption(Specs.option(this, "quiet", "-q", "--quiet")
        .description("no progress line and no notes").build());
    spec.addOption(Specs.option(this, "verbose", "-v", "--verbose")
        .description("print notes, step timings and error details").build());
    spec.addPositional(Specs.positionals(this, "command")
        .paramLabel("COMMAND").arity("0..*")
        .description("the command and its arguments (after --)").build());
    Specs.addStandardHelpOptions(spec);
  }

  /**
   * For {@link DirectRun}: the command with no picocli model, its options at their defaults (as
   * picocli sets them before parsing) and its output on {@code out} and {@code err}.
   */
  RunCommand(Backend backend, Io io, List<String> command, PrintWriter out, PrintWriter err) {
    this.backend = backend;
    this.io = io;
    this.spec = null;
    this.driver = DEFAULT_DRIVER;
    this.command.addAll(command);
    this.directOut = out;
    this.directErr = err;
  }

  CommandSpec spec() {
    return spec;
  }

  private PrintWriter out() {
    return directOut != null ? directOut : spec.commandLine().getOut();
  }

  private PrintWriter err() {
    return directErr != null ? directErr : spec.commandLine().getErr();
  }

  @Override
  public boolean verbose() {
    return verbose;
  }

  @Override
  public Integer call() {
    PrintWriter err = err();
    CliLog.output(err);
    CliLog.verbosity(quiet, verbose);
    CliLog.progress(io.stderrIsTerminal());
    Interrupts.install(err, quiet);
    if (config != null || configBase64 != null) { // mxc state-aware phases: MxcPhases
      Optional<LocatedJson> phased = MxcPhases.stateAware(config, configBase64);
      if (phased.isPresent()) {
        return new MxcPhases(this, backend, io, out(), err).execute(phased.get());
      }
    }
    RunPlan plan;
    String driverName;
    long cap;
    try {
      cap = jsonOptions.cap(json);
      driverName = backend.resolveDriver(driver);
      plan = RunPlan.from(this, driverName);
    } catch (ConfigException e) {
      return fail(e.toCli(), e);
    } catch (CliException e) {
      return fail(e, e);
    }
    for (MxcRequest.Note n : plan.notes()) {
      if (verbose || (!quiet && !n.verboseOnly())) {
        err.println("sandboxkit: " + n.text());
      }
    }
    err.flush();
    ExecutionRequest.Builder b = ExecutionRequest.builder(plan.command())
        .environment(plan.environment())
        .workingDirectory(plan.cwd())
        .timeout(plan.timeout().orElse(null));
    if (!io.stdinIsTerminal()) {
      b.stdin(io.in());
    }
    // --json: the run streams into bounded captures (the library's own capture would hold up to
    // 64 MiB per stream and then a decoded copy); otherwise straight to our stdout/stderr.
    BoundedCapture capturedOut = new BoundedCapture(cap);
    BoundedCapture capturedErr = new BoundedCapture(cap);
    if (json) {
      b.stdout(capturedOut).stderr(capturedErr);
    } else {
      b.stdout(io.out()).stderr(io.err());
    }
    ProgressLine progress = new ProgressLine(err, driverName, io.stderrIsTerminal() && !quiet,
        verbose, System::nanoTime);
    ExecutionResult result;
    try {
      result = backend.run(driverName, b.build(), plan.policy(), progress, forceReclaim);
    } finally {
      progress.stop();
    }
    flushStreams();
    int code = ExitCodes.forRun(result.failurePhase(), result.exitCode());
    String truncation = JsonOptions.truncation(capturedOut, capturedErr);
    boolean strictFailure = json && jsonOptions.failOnTruncation && truncation != null
        && !RunFailure.isSandboxkitFailure(result) && result.failurePhase() != FailurePhase.TIMED_OUT;
    if (json) {
      String message = strictFailure && result.errorMessage().isEmpty() ? truncation : result.errorMessage();
      try {
        JsonResult.write(out(), result, message, capturedOut, capturedErr);
        out().println();
      } catch (java.io.IOException e) {
        // the reader of our stdout went away; the exit code still tells
      }
      out().flush();
    }
    if (strictFailure) {
      ErrorHandler.print(err, new CliException(truncation,
          "write large output to a file in a mapped folder (--rw), raise --json-limit, or run without --json",
          "", ExitCodes.OUTPUT_TRUNCATED), verbose, null);
      return ExitCodes.OUTPUT_TRUNCATED;
    }
    if (RunFailure.isSandboxkitFailure(result)) {
      CliException e = RunFailure.of(result, plan.timeout());
      ErrorHandler.print(err, e, verbose, e);
    } else if (MemoryLimitNote.killed(result)) {
      // the command's exit code stays its own (137); what killed it is said once on stderr
      err.println("sandboxkit: " + Text.escape(result.errorMessage()) + "; " + MemoryLimitNote.FIX);
      err.flush();
    } else if (verbose && !result.extendedError().isBlank()) {
      err.println("sandboxkit: note: " + Text.escape(result.extendedError()));
      err.flush();
    }
    return code;
  }

  private int fail(CliException e, Throwable cause) {
    if (json) {
      try {
        JsonResult.write(out(), new ExecutionResult(-1, null, null, e.whatFailed(), e.whatToDo(),
            FailurePhase.REJECTED), e.whatFailed(), new BoundedCapture(0), new BoundedCapture(0));
        out().println();
      } catch (java.io.IOException io) {
        // the reader of our stdout went away; the exit code still tells
      }
      out().flush();
    }
    ErrorHandler.print(err(), e, verbose, cause);
    return e.exitCode();
  }

  private void flushStreams() {
    try {
      io.out().flush();
      io.err().flush();
    } catch (IOException e) {
      // the terminal went away; nothing to report it to
    }
  }
}
