import dev.sandboxkit.lifecycle.ExecutionRequest;
import dev.sandboxkit.lifecycle.ExecutionResult;
import dev.sandboxkit.Sandbox;
import dev.sandboxkit.SandboxDrivers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Live-sandbox figures for {@code benchmarks/run.sh}, each next to a floor measured in this same
 * JVM and run (issue 12, Performance). Prints {@code name value unit floor ratio} lines:
 *
 * <ul>
 *   <li>warm exec: median of {@code sandbox.exec("true")} in one live bubblewrap sandbox; floor: this
 *       JVM running {@code sh -c true} through {@code ProcessBuilder} (median);
 *   <li>session start: median of {@code Sandbox.builder(..).start()} to ready (the one-shot figure of
 *       run.sh is the comparison; no floor here);
 *   <li>1 GiB of stdout through a session execution streamed to a discarding stream, net of the warm
 *       exec median; floor: {@code head -c 1G /dev/zero} read from a {@code ProcessBuilder} pipe;
 *   <li>256 MiB of stdin into {@code cat > /dev/null} in a session execution, from a pipe (a FIFO
 *       {@code head -c 256M /dev/zero} writes, opened as a {@code FileInputStream} as the CLI's stdin
 *       is), net of the warm exec median; floor: {@code head -c 256M /dev/zero | cat > /dev/null}.
 * </ul>
 *
 * {@code java -cp sandboxkit.jar -Dsandboxkit.guest.jar=JAR SessionBench EXECS STARTS STREAM_RUNS}
 */
public final class SessionBench {
  static final long GIB = 1L << 30;
  static final long STDIN_BYTES = 256L << 20;

  public static void main(String[] args) throws Exception {
    int execs = Integer.parseInt(args[0]);
    int starts = Integer.parseInt(args[1]);
    int streamRuns = Integer.parseInt(args[2]);

    for (int i = 0; i < 20; i++) {
      hostTrue(); // warm the JDK's process spawning
    }
    double[] floor = new double[execs];
    for (int i = 0; i < execs; i++) {
      floor[i] = hostTrue();
    }

    double[] start = new double[starts];
    for (int i = 0; i < starts; i++) {
      long t0 = System.nanoTime();
      Sandbox s = Sandbox.builder(SandboxDrivers.byName("bubblewrap")).start();
      start[i] = ms(t0);
      s.close();
    }

    double[] warm = new double[execs];
    double[] stream = new double[streamRuns];
    double[] stdin = new double[streamRuns];
    try (Sandbox s = Sandbox.builder(SandboxDrivers.byName("bubblewrap")).start()) {
      ExecutionRequest tr = ExecutionRequest.builder("true").build();
      for (int i = 0; i < 20; i++) {
        check(s.exec(tr));
      }
      for (int i = 0; i < execs; i++) {
        long t0 = System.nanoTime();
        check(s.exec(tr));
        warm[i] = ms(t0);
      }
      for (int i = 0; i < streamRuns; i++) {
        long t0 = System.nanoTime();
        check(s.exec(ExecutionRequest.builder("head -c " + GIB + " /dev/zero").stdout(OutputStream.nullOutputStream())
            .build()));
        stream[i] = ms(t0);
      }
      for (int i = 0; i < streamRuns; i++) {
        stdin[i] = sessionStdin(s);
      }
    }
    double[] rawPipe = new double[streamRuns];
    double[] rawStdin = new double[streamRuns];
    for (int i = 0; i < streamRuns; i++) {
      rawPipe[i] = rawPipe();
      rawStdin[i] = rawStdinPipe();
    }

    double floorMs = median(floor);
    double warmMs = median(warm);
    figure("floor_host_processbuilder_sh_true_ms", floorMs, "ms", "-", "-");
    figure("session_warm_exec_true_ms", warmMs, "ms", fmt(floorMs), fmt(warmMs / floorMs));
    figure("session_warm_exec_true_p90_ms", percentile(warm, 0.9), "ms", "-", "-");
    figure("session_start_ms", median(start), "ms", "-", "-");
    double rawMbps = GIB / 1e6 / (median(rawPipe) / 1000);
    double netMbps = GIB / 1e6 / ((median(stream) - warmMs) / 1000);
    figure("floor_processbuilder_pipe_1GiB_MBps", rawMbps, "MB/s", "-", "-");
    figure("session_stdout_1GiB_net_MBps", netMbps, "MB/s", fmt(rawMbps), fmt(netMbps / rawMbps));
    double rawInMbps = STDIN_BYTES / 1e6 / (median(rawStdin) / 1000);
    double netInMbps = STDIN_BYTES / 1e6 / ((median(stdin) - warmMs) / 1000);
    figure("floor_raw_pipe_256MiB_MBps", rawInMbps, "MB/s", "-", "-");
    figure("session_stdin_256MiB_net_MBps", netInMbps, "MB/s", fmt(rawInMbps), fmt(netInMbps / rawInMbps));
  }

  /** One session execution reading 256 MiB of stdin from a pipe (a FIFO opened as a file, as a CLI's stdin). */
  static double sessionStdin(Sandbox s) throws Exception {
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("sessionbench");
    java.nio.file.Path fifo = dir.resolve("in");
    try {
      if (new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor() != 0) {
        throw new IllegalStateException("mkfifo failed");
      }
      Process writer = new ProcessBuilder("sh", "-c", "exec head -c " + STDIN_BYTES + " /dev/zero > \"$0\"",
          fifo.toString()).inheritIO().start();
      long t0 = System.nanoTime();
      try (InputStream in = new java.io.FileInputStream(fifo.toFile())) {
        check(s.exec(ExecutionRequest.builder("cat > /dev/null").stdin(in).build()));
      }
      double t = ms(t0);
      if (writer.waitFor() != 0) {
        throw new IllegalStateException("head into the FIFO failed");
      }
      return t;
    } finally {
      java.nio.file.Files.deleteIfExists(fifo);
      java.nio.file.Files.deleteIfExists(dir);
    }
  }

  static double rawStdinPipe() throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder("sh", "-c", "head -c " + STDIN_BYTES + " /dev/zero | cat > /dev/null")
        .inheritIO().start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("raw stdin pipe failed");
    }
    return ms(t0);
  }

  static double hostTrue() throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder("sh", "-c", "true").redirectErrorStream(true).start();
    p.getOutputStream().close();
    p.getInputStream().readAllBytes();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("sh -c true failed");
    }
    return ms(t0);
  }

  static double rawPipe() throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder("head", "-c", Long.toString(GIB), "/dev/zero").start();
    p.getOutputStream().close();
    byte[] buf = new byte[64 * 1024];
    long n = 0;
    try (InputStream in = p.getInputStream()) {
      for (int r; (r = in.read(buf)) > 0; ) {
        n += r;
      }
    }
    if (p.waitFor() != 0 || n != GIB) {
      throw new IllegalStateException("raw pipe read " + n + " bytes");
    }
    return ms(t0);
  }

  static void check(ExecutionResult r) {
    if (r.exitCode() != 0) {
      throw new IllegalStateException("execution failed: " + r + " " + r.errorMessage());
    }
  }

  static double ms(long t0) {
    return (System.nanoTime() - t0) / 1e6;
  }

  static double median(double[] v) {
    return percentile(v, 0.5);
  }

  static double percentile(double[] v, double p) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[Math.min(s.length - 1, (int) Math.floor(p * (s.length - 1) + 0.5))];
  }

  static String fmt(double d) {
    return String.format(java.util.Locale.ROOT, "%.2f", d);
  }

  static void figure(String name, double value, String unit, String floor, String ratio) {
    System.out.printf(java.util.Locale.ROOT, "%s %.2f %s %s %s%n", name, value, unit, floor, ratio);
  }
}
