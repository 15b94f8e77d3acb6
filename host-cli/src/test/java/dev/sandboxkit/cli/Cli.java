package dev.sandboxkit.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** Runs the CLI in-process through picocli's {@code execute()} with captured streams. */
final class Cli {
  final FakeBackend backend;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();
  byte[] stdin = new byte[0];
  boolean stdinIsTerminal;
  boolean stderrIsTerminal;

  Cli(FakeBackend backend) {
    this.backend = backend;
  }

  Cli() {
    this(new FakeBackend());
  }

  /** As {@link Main} does: {@code run -- ...} directly, else only the commands {@code args} can reach are built. */
  int execute(String... args) {
    Io io = new Io(new ByteArrayInputStream(stdin), out, err, stdinIsTerminal, stderrIsTerminal);
    return SandboxkitCommand.execute(backend, io, args);
  }

  /** With every subcommand built, whatever the arguments. */
  int executeFullTree(String... args) {
    Io io = new Io(new ByteArrayInputStream(stdin), out, err, stdinIsTerminal, stderrIsTerminal);
    return SandboxkitCommand.newCommandLine(backend, io).execute(args);
  }

  CommandLine newCommandLine(String... args) {
    Io io = new Io(new ByteArrayInputStream(stdin), out, err, stdinIsTerminal, stderrIsTerminal);
    return SandboxkitCommand.newCommandLine(backend, io, args);
  }

  String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  String err() {
    return err.toString(StandardCharsets.UTF_8);
  }
}
