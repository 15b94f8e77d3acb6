package dev.sandboxkit.benchmarks;

import dev.sandboxkit.auth.ChannelRole;
import dev.sandboxkit.auth.Handshake;
import dev.sandboxkit.auth.HandshakeException;
import dev.sandboxkit.auth.Nonce;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link Handshake#verify} with the right nonce and with a wrong one (last byte flipped, the case a
 * non-constant-time compare would answer fastest). The two figures should be close: the compare
 * examines all 32 bytes either way; the wrong-nonce path adds building the typed exception.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class HandshakeBenchmark {
  private Nonce nonce;
  private byte[] good;
  private byte[] wrong;

  @Setup
  public void setUp() {
    byte[] n = new byte[Nonce.LENGTH];
    new java.util.Random(42).nextBytes(n);
    nonce = Nonce.fromBytes(n);
    good = Handshake.encode(nonce, ChannelRole.STDOUT);
    wrong = good.clone();
    wrong[Nonce.LENGTH - 1] ^= 1;
  }

  @Benchmark
  public ChannelRole verifyGoodNonce() throws HandshakeException {
    return Handshake.verify(good, nonce);
  }

  @Benchmark
  public Object verifyWrongNonce() {
    try {
      return Handshake.verify(wrong, nonce);
    } catch (HandshakeException e) {
      return e.reason();
    }
  }
}
