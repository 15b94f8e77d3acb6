package dev.sandboxkit.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.auth.Nonce;
import dev.sandboxkit.auth.NonceFile;
import dev.sandboxkit.guest.testhost.TestHost;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Smoke test of the packaged artifact: the shaded jar started as its own process (failsafe). */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class GuestJarIT {
  @TempDir Path dir;

  static Path jar() {
    String p = System.getProperty("sandboxkit.guest.jar");
    assertTrue(p != null && Files.isRegularFile(Path.of(p)),
        "system property sandboxkit.guest.jar must name the built jar (mvn verify sets it), got " + p);
    return Path.of(p);
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  @Test
  void theJarLogsThroughTheAgentsOwnLoggerFinder() throws Exception {
    try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(jar().toFile())) {
      java.util.zip.ZipEntry e = z.getEntry("META-INF/services/java.lang.System$LoggerFinder");
      assertTrue(e != null, "the shaded jar must register the agent's System.LoggerFinder");
      String names = new String(z.getInputStream(e).readAllBytes(), StandardCharsets.UTF_8).trim();
      assertEquals("dev.sandboxkit.guest.log.GuestLoggerFinder", names);
    }
  }

  /**
   * The guest runs on the host's JDK inside the sandbox: x64 and ARM64 Windows as well as the Linux
   * sandboxes. JNA's native stub for each must be in the shaded jar (issue 17 finding 3), or the
   * first job on that machine fails to load JNA.
   */
  @Test
  void theJarKeepsJnasNativesForEveryGuestPlatform() throws Exception {
    try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(jar().toFile())) {
      for (String native_ : List.of(
          "com/sun/jna/win32-x86-64/jnidispatch.dll",
          "com/sun/jna/win32-aarch64/jnidispatch.dll",
          "com/sun/jna/linux-x86-64/libjnidispatch.so",
          "com/sun/jna/linux-aarch64/libjnidispatch.so")) {
        java.util.zip.ZipEntry e = z.getEntry(native_);
        assertTrue(e != null && e.getSize() > 0, "the shaded guest jar lacks " + native_);
      }
    }
  }

  /**
   * {@code java -jar} grants what the agent needs from the manifest (no command-line flags, which
   * would disable the JDK's archived module graph): native access for JNA (Java 22+ warns without
   * it) and {@code java.io} opened for the pumps' pipe lookup. The log-format test below shows it
   * takes effect: on Java 25 a missing grant prints a multi-line warning.
   */
  @Test
  void theManifestGrantsNativeAccessAndOpensJavaIo() throws Exception {
    try (java.util.jar.JarFile z = new java.util.jar.JarFile(jar().toFile())) {
      java.util.jar.Attributes a = z.getManifest().getMainAttributes();
      assertEquals("ALL-UNNAMED", a.getValue("Enable-Native-Access"));
      assertEquals("java.base/java.io", a.getValue("Add-Opens"));
    }
  }

  @Test
  void helpListsTheExitCodes() throws Exception {
    Process p = new ProcessBuilder(java(), "-jar", jar().toString(), "--help").start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue());
    assertTrue(out.contains("Exit codes:"), out);
  }

  @Test
  void theShadedJarRunsAJobOverTheUnixTransportAndExitsCleanly() throws Exception {
    Nonce nonce = Nonce.generate();
    NonceFile.write(dir, nonce);
    Path log = dir.resolve("agent.log");
    Process p =
        new ProcessBuilder(
                List.of(java(), "-XX:+UseSerialGC", "-Xmx64m", "-jar", jar().toString(),
                    "--transport", "unix", "--rendezvous", dir.toString(), "--network", "allow"))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      TestHost host = TestHost.rendezvous(dir, nonce, Duration.ofSeconds(30));
      host.open();
      TestHost.Result r = host.exec("echo hello; echo warn 1>&2; exit 7");
      assertEquals(7, r.exitCode(), Files.readString(log));
      assertEquals("hello\n", r.out());
      assertEquals("warn\n", r.err());
      host.close();
      assertTrue(p.waitFor(30, TimeUnit.SECONDS), "agent did not exit after control EOF");
      assertEquals(0, p.exitValue(), Files.readString(log));
      String text = Files.readString(log);
      assertTrue(!text.contains("echo hello"), "the log must not contain the command line: " + text);
      assertTrue(text.contains(" INFO    sandboxkit-guest AgentListener: listening, advertised as unix:agent.sock"), text);
      for (String line : text.split("\n")) {
        assertTrue(line.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z [A-Z]+ +sandboxkit-guest \\w+: .*"),
            "every log line has the agent's one-line format: " + line);
      }
      assertTrue(!text.contains("hardware address"), "Netty must not scan for a MAC address: " + text);
    } finally {
      p.destroyForcibly();
    }
  }
}
