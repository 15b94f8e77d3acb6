package dev.sandboxkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.lifecycle.ResourceLimits;
import dev.sandboxkit.lifecycle.SandboxPolicy;
import org.junit.jupiter.api.Test;

class LimitOptionsTest {
  static ResourceLimits apply(String memory, String pids, String cpus, String tmp) {
    LimitOptions o = new LimitOptions();
    o.memory = memory;
    o.pids = pids;
    o.cpus = cpus;
    o.tmpSize = tmp;
    SandboxPolicy.Builder b = SandboxPolicy.builder();
    o.applyTo(b);
    return b.build().limits();
  }

  @Test
  void noOptionsMeansTheDefaults() {
    assertEquals(ResourceLimits.DEFAULT, apply(null, null, null, null));
  }

  @Test
  void theIssuesExample() {
    assertEquals(new ResourceLimits(512L << 20, 256, 1.5, 256L << 20), apply("512m", "256", "1.5", "256m"));
    assertEquals(2L << 30, apply("2g", null, null, null).memoryBytes());
    assertEquals(1L << 20, apply(null, null, null, "1048576").tmpBytes());
  }

  @Test
  void badValuesAreUsageErrorsNamingTheOption() {
    String[][] bad = {
        {"--memory", "lots"}, {"--memory", "-5m"}, {"--memory", "64m"}, {"--pids", "0"}, {"--pids", "abc"},
        {"--pids", "8"}, {"--cpus", "NaN"}, {"--cpus", "-1"}, {"--cpus", "1e3"}, {"--tmp-size", "0"},
        {"--tmp-size", "9999999999999999t"}};
    for (String[] c : bad) {
      CliException e = assertThrows(CliException.class, () -> apply(
          c[0].equals("--memory") ? c[1] : null, c[0].equals("--pids") ? c[1] : null,
          c[0].equals("--cpus") ? c[1] : null, c[0].equals("--tmp-size") ? c[1] : null), c[0] + " " + c[1]);
      assertEquals(ExitCodes.SANDBOX_FAILED, e.exitCode(), c[0]);
      assertTrue(e.getMessage().contains(c[0]) || e.getMessage().contains("limit"), e.getMessage());
    }
  }

  @Test
  void runAcceptsTheFourOptions() {
    Io io = new Io(java.io.InputStream.nullInputStream(), java.io.OutputStream.nullOutputStream(),
        java.io.OutputStream.nullOutputStream(), false, false);
    picocli.CommandLine cl = SandboxkitCommand.newCommandLine(null, io);
    picocli.CommandLine.ParseResult r = cl.parseArgs("run", "--memory", "512m", "--pids", "64", "--cpus", "1.5",
        "--tmp-size", "8m", "--", "true");
    RunCommand run = (RunCommand) r.subcommand().commandSpec().userObject();
    SandboxPolicy.Builder b = SandboxPolicy.builder();
    run.limits.applyTo(b);
    assertEquals(new ResourceLimits(512L << 20, 64, 1.5, 8L << 20), b.build().limits());
  }

  /** Issue 15.5: --rw-as-owner reaches the policy; without it the policy does not write as the owner. */
  @Test
  void rwAsOwnerIsAnOptIn() {
    Io io = new Io(java.io.InputStream.nullInputStream(), java.io.OutputStream.nullOutputStream(),
        java.io.OutputStream.nullOutputStream(), false, false);
    for (boolean on : new boolean[] {true, false}) {
      picocli.CommandLine cl = SandboxkitCommand.newCommandLine(null, io);
      picocli.CommandLine.ParseResult r = on ? cl.parseArgs("run", "--rw-as-owner", "--", "true")
          : cl.parseArgs("run", "--", "true");
      RunCommand run = (RunCommand) r.subcommand().commandSpec().userObject();
      SandboxPolicy.Builder b = SandboxPolicy.builder();
      run.limits.applyTo(b);
      assertEquals(on, b.build().writeAsOwner());
    }
  }
}
