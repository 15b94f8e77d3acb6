package dev.sandboxkit.cli.session;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checking an id never starts a {@code SecureRandom} (issue 12: the {@code exec} client's main
 * thread only checks ids; the random source costs ~11 ms of a cold JVM). Run in a fresh JVM, whose
 * class-load log shows whether one was loaded.
 */
@Timeout(120)
class SessionIdRandomTest {
  /** The probe: checks ids, then mints one only when asked (so the test can see the log is honest). */
  public static final class Probe {
    public static void main(String[] args) {
      System.out.println("PROBE: " + SessionId.isToken("0000abcd") + " " + SessionId.isName("web"));
      if (args.length > 0) {
        System.out.println("PROBE: minted " + SessionId.isToken(SessionId.mint()));
      }
    }
  }

  @Test
  void checkingIdsLoadsNoSecureRandomButMintingDoes(@TempDir Path tmp) throws Exception {
    assertFalse(log(tmp, false).contains(" java.security.SecureRandom "), "checking an id started a SecureRandom");
    String minted = log(tmp, true);
    assertTrue(minted.contains("PROBE: minted true"), minted);
    assertTrue(minted.contains(" java.security.SecureRandom "), "the log would not show it");
  }

  private static String log(Path tmp, boolean mint) throws Exception {
    Path out = tmp.resolve("out-" + mint + ".txt");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder pb = new ProcessBuilder(java.toString(), "-Xshare:auto", "-Xlog:class+load=info:stdout", "-cp",
        System.getProperty("java.class.path"), Probe.class.getName());
    if (mint) {
      pb.command().add("mint");
    }
    Process p = pb.redirectErrorStream(true).redirectOutput(out.toFile()).start();
    try {
      assertTrue(p.waitFor(100, TimeUnit.SECONDS), "the probe JVM did not finish");
    } finally {
      p.destroyForcibly();
    }
    String log = Files.readString(out, StandardCharsets.UTF_8);
    assertTrue(log.contains("PROBE: true true"), log.substring(Math.max(0, log.length() - 2000)));
    return log;
  }
}
