package dev.sandboxkit.benchmarks;

import dev.sandboxkit.protocol.ControlMessage;
import dev.sandboxkit.protocol.DecodeResult;
import dev.sandboxkit.protocol.FrameCodec;
import dev.sandboxkit.protocol.ProtocolException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Control-frame encode and decode through the pure {@link FrameCodec} (the path both the host
 * bridge and the guest executor take per message). Throughput in messages per second; run with
 * {@code -prof gc} for {@code gc.alloc.rate.norm} (bytes allocated per message).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class ControlFrameBenchmark {

  /** A realistic Exec: a multi-line shell script with quotes, escapes, a here-doc and non-ASCII. */
  static final ControlMessage.Exec EXEC =
      new ControlMessage.Exec(
          "3f1c2a9e-5b7d-4e8a-9c0f-1a2b3c4d5e6f",
          "set -eu\n"
              + "cd \"/work/project dir\"\n"
              + "export PATH=\"/usr/local/bin:$PATH\" LANG=C.UTF-8\n"
              + "printf '%s\\n' \"héllo wörld — ✓\" > out.txt\n"
              + "for f in src/*.java; do wc -l \"$f\"; done | sort -n | tail -5\n"
              + "cat <<'EOF' | sha256sum\n{\"key\": \"value\", \"tab\":\"\t\"}\nEOF\n"
              + "mvn -q -B -ntp -DskipTests package && echo \"build ok\" || exit 3\n",
          "/work/project dir",
          120_000L);

  static final ControlMessage.Exit EXIT =
      new ControlMessage.Exit("3f1c2a9e-5b7d-4e8a-9c0f-1a2b3c4d5e6f", 0, "");

  @Param({"Exec", "Exit", "Ping"})
  public String message;

  private ControlMessage msg;
  private byte[] frame;

  @Setup
  public void setUp() throws ProtocolException {
    msg =
        switch (message) {
          case "Exec" -> EXEC;
          case "Exit" -> EXIT;
          case "Ping" -> ControlMessage.PING;
          default -> throw new IllegalArgumentException("unknown message " + message);
        };
    frame = FrameCodec.encode(msg);
    // Fail fast if the codec does not round-trip what we measure.
    DecodeResult r = FrameCodec.decode(frame, 0, frame.length);
    if (!(r instanceof DecodeResult.Decoded d) || !d.message().equals(msg)) {
      throw new IllegalStateException("codec does not round-trip " + message + ": " + r);
    }
  }

  @Benchmark
  public byte[] encode() throws ProtocolException {
    return FrameCodec.encode(msg);
  }

  @Benchmark
  public DecodeResult decode() throws ProtocolException {
    return FrameCodec.decode(frame, 0, frame.length);
  }
}
