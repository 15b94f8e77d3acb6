package dev.sandboxkit.cli;

import dev.sandboxkit.lifecycle.ResourceLimits;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code --json-limit SIZE} and {@code --fail-on-truncation}: how much of each stream {@code run
 * --json} and {@code exec --json} keep in memory, and whether a cut is an error.
 */
final class JsonOptions {
  /** The default cap per stream: 64 MiB, as mxc's capture. */
  static final long DEFAULT_LIMIT = 64L * 1024 * 1024;
  /** The largest cap: both streams at this cap still fit a default JVM heap on a small host. */
  static final long MAX_LIMIT = 1024L * 1024 * 1024;

  String limit;
  boolean failOnTruncation;

  void addTo(CommandSpec spec) {
    spec.addOption(Specs.option(this, "limit", "--json-limit")
        .paramLabel("SIZE")
        .description("with --json: keep at most SIZE of stdout and of stderr each (e.g. 64k, 16m; "
            + "default 64m, at most 1g); the rest is drained and dropped, and the JSON says "
            + "stdout_truncated / stderr_truncated").build());
    spec.addOption(Specs.option(this, "failOnTruncation", "--fail-on-truncation")
        .description("with --json: when a stream was cut at the limit, exit "
            + ExitCodes.OUTPUT_TRUNCATED + " (the JSON keeps the command's exit_code)").build());
  }

  /**
   * The cap per stream in bytes, or the usage error for options given without {@code --json} or a
   * bad size.
   */
  long cap(boolean json) throws CliException {
    if (!json && (limit != null || failOnTruncation)) {
      throw CliException.usage((limit != null ? "--json-limit" : "--fail-on-truncation")
          + " only applies to --json", "add --json, or leave the option out (streamed output is never cut)");
    }
    if (limit == null) {
      return DEFAULT_LIMIT;
    }
    long n;
    try {
      n = ResourceLimits.parseSize(limit);
    } catch (IllegalArgumentException e) {
      n = -1;
    }
    if (n < 0 || n > MAX_LIMIT) {
      throw CliException.usage("invalid --json-limit '" + Text.escape(limit) + "'",
          "give a size from 0 to 1g, such as 64k or 16m");
    }
    return n;
  }

  /** What was cut, or null when nothing was: the message of a truncation. */
  static String truncation(BoundedCapture out, BoundedCapture err) {
    String which = out.truncated() && err.truncated() ? "stdout and stderr"
        : out.truncated() ? "stdout" : err.truncated() ? "stderr" : null;
    return which == null ? null
        : "the command's " + which + " exceeded --json-limit (" + out.cap() + " bytes) and "
            + (which.contains(" and ") ? "were" : "was") + " cut";
  }
}
