package dev.sandboxkit.cli;

import dev.sandboxkit.lifecycle.ExecutionRequest;
import dev.sandboxkit.lifecycle.PrepareResult;
import dev.sandboxkit.lifecycle.SandboxException;
import dev.sandboxkit.lifecycle.SandboxListener;
import dev.sandboxkit.lifecycle.SandboxPolicy;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code sandboxkit prepare}: the one-time work of a first run, done now (an image build, an
 * installer): the guest's class-data archive on bubblewrap. One line on stdout says what it did.
 */
final class PrepareCommand implements Callable<Integer>, ErrorHandler.Verbosity {
  private final Backend backend;
  private final Io io;
  private final CommandSpec spec;

  String driver;
  boolean quiet;
  boolean verbose;

  PrepareCommand(Backend backend, Io io) {
    this.backend = backend;
    this.io = io;
    spec = Specs.command(this, "prepare");
    spec.usageMessage()
        .description(
            "Builds now what a first run would build on its own time: on bubblewrap, the guest agent's "
                + "class-data archive (about 3 s in a network-less training sandbox, once per guest jar and "
                + "Java runtime; later sandboxes start about 200 ms faster). For image builds and installers. "
                + "Run through the launcher script, it also builds the launcher's own start-up archive. "
                + "Prints one line saying what it did.")
        .exitCodeList(Specs.exitCodes(
            "0:prepared: built now, already built, or nothing to prepare (archives off, windows-sandbox)",
            "1:the archive could not be built (sandboxes still start, only slower); see the message",
            "125:bad usage, the driver is not available, or the guest agent jar is not found"))
        .footer("  sandboxkit prepare", "  RUN ./sandboxkit prepare        (in a Dockerfile, after the build)");
    spec.addOption(Specs.driverOption(this));
    spec.addOption(Specs.option(this, "quiet", "-q", "--quiet")
        .description("no progress line").build());
    spec.addOption(Specs.option(this, "verbose", "-v", "--verbose")
        .description("print error details and the training's time").build());
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
  public Integer call() throws SandboxException {
    String name = backend.resolveDriver(driver);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ProgressLine progress = ProgressLine.preparing(err, name, io.stderrIsTerminal() && !quiet, verbose,
        System::nanoTime);
    PrepareResult r;
    try {
      progress.prepareStart("");
      r = backend.prepare(name, progress);
    } finally {
      progress.stop();
    }
    if (Boolean.getBoolean(SandboxkitCommand.RECORD_PROPERTY)) {
      rehearseRun(name); // also after a failed training: the launcher still dumps its archive (exit 1 < 124)
    }
    if (!r.ok()) {
      ErrorHandler.print(err, new CliException(
          "the guest's class-data archive could not be built: " + Text.escape(ErrorHandler.stripPeriod(r.detail())),
          "sandboxes still start without it, about 200 ms slower each; fix the cause and run 'sandboxkit prepare'"
              + " again, or set SANDBOXKIT_NO_CDS=1 to stop building it", "", ExitCodes.NOT_READY), verbose, null);
      return ExitCodes.NOT_READY;
    }
    out.println(line(name, r));
    out.flush();
    return ExitCodes.OK;
  }

  /** The line a successful prepare prints (pure; tested). */
  static String line(String driver, PrepareResult r) {
    return switch (r.status()) {
      case BUILT -> String.format(Locale.ROOT, "built the guest's class-data archive in %.1f s (%s): %s",
          r.elapsed().toMillis() / 1000.0, driver, Text.escape(r.archive().orElseThrow().toString()));
      case ALREADY_PRESENT -> "the guest's class-data archive is already built (" + driver + "): "
          + Text.escape(r.archive().orElseThrow().toString());
      case DISABLED, NOT_APPLICABLE -> "nothing to prepare (" + driver + "): " + Text.escape(r.detail());
      case FAILED -> throw new IllegalArgumentException("a failure is an error line, not a result line");
    };
  }

  /**
   * The launcher records the classes this process loads for its own start-up archive (property
   * {@value SandboxkitCommand#RECORD_PROPERTY}); without a run, an archive recorded by {@code prepare}
   * would lack the run path's classes and no later run would record it again. So one quiet
   * {@code true} runs in a default sandbox; its result does not matter.
   */
  private void rehearseRun(String name) {
    try {
      backend.run(name, ExecutionRequest.builder("true").build(), SandboxPolicy.DEFAULT, SandboxListener.NONE,
          false);
    } catch (RuntimeException e) {
      // only a less complete start-up archive
    }
  }
}
