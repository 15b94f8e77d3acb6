package dev.sandboxkit.cli;

import dev.sandboxkit.lifecycle.ResourceLimits;
import dev.sandboxkit.lifecycle.SandboxPolicy;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The resource-limit options shared by {@code run} and {@code start}: {@code --memory 512m},
 * {@code --pids 256}, {@code --cpus 1.5}, {@code --tmp-size 256m}. mxc's request files have no keys
 * for limits, so these come from the command line only. A bad value is a usage error (125) naming
 * the option; a limit the host cannot enforce is refused by the driver before launch.
 */
final class LimitOptions {
  String memory;
  String pids;
  String cpus;
  String tmpSize;
  /** {@code --rw-as-owner}: root host, root-owned work folder (SandboxPolicy.writeAsOwner). */
  boolean rwAsOwner;

  /** Adds the four options to {@code spec}, bound to this object's fields. */
  void addTo(CommandSpec spec) {
    spec.addOption(Specs.option(this, "memory", "--memory").paramLabel("SIZE")
        .description("memory limit of the whole sandbox, e.g. 512m or 2g (killed at the limit: exit 137)").build());
    spec.addOption(Specs.option(this, "pids", "--pids").paramLabel("N")
        .description("most processes and threads in the sandbox (at least 32; the agent uses about 20)").build());
    spec.addOption(Specs.option(this, "cpus", "--cpus").paramLabel("CPUS")
        .description("CPU time as a number of CPUs, e.g. 1.5").build());
    spec.addOption(Specs.option(this, "tmpSize", "--tmp-size").paramLabel("SIZE")
        .description("size of the sandbox's /tmp (default 512m)").build());
    spec.addOption(Specs.option(this, "rwAsOwner", "--rw-as-owner")
        .description("root host: let the workload write to root-owned --rw folders as root, through a user"
            + " namespace and without capabilities (no chown of your checkout)").build());
  }

  /** The limits given (defaults for the rest) applied to {@code policy}. */
  void applyTo(SandboxPolicy.Builder policy) throws CliException {
    ResourceLimits d = ResourceLimits.DEFAULT;
    long memoryBytes = memory == null ? 0 : size("--memory", memory);
    int pidsLimit = pids == null ? 0 : (int) number("--pids", pids, Integer.MAX_VALUE);
    double cpuLimit = 0;
    if (cpus != null) {
      try {
        cpuLimit = Double.parseDouble(cpus.strip());
        if (!(cpuLimit > 0) || Double.isInfinite(cpuLimit) || !cpus.strip().matches("[0-9]+(\\.[0-9]+)?")) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        throw CliException.usage("invalid --cpus '" + Text.escape(cpus) + "'", "give a number of CPUs, e.g. 1.5");
      }
    }
    long tmpBytes = tmpSize == null ? d.tmpBytes() : size("--tmp-size", tmpSize);
    policy.writeAsOwner(rwAsOwner);
    try {
      policy.limits(new ResourceLimits(memoryBytes, pidsLimit, cpuLimit, tmpBytes));
    } catch (IllegalArgumentException e) {
      throw CliException.usage("invalid limit: " + e.getMessage(), "raise the limit or leave it out");
    }
  }

  private static long size(String option, String value) throws CliException {
    try {
      long n = ResourceLimits.parseSize(value);
      if (n <= 0) {
        throw new IllegalArgumentException("must be positive");
      }
      return n;
    } catch (IllegalArgumentException e) {
      throw CliException.usage("invalid " + option + " '" + Text.escape(value) + "'",
          "give a size such as 512m, 2g or 65536 (bytes)");
    }
  }

  private static long number(String option, String value, long max) throws CliException {
    try {
      long n = Long.parseLong(value.strip());
      if (n <= 0 || n > max) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw CliException.usage("invalid " + option + " '" + Text.escape(value) + "'", "give a positive whole number");
    }
  }
}
