package dev.sandboxkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exec verb's client path (issue 12: {@code sandboxkit exec ID -- true} over a JVM start): the
 * launcher's recording run rehearses it against a stand-in daemon so the class-data archive holds
 * it.
 */
@Timeout(120)
class ExecRehearsalTest {
  @Test
  void theRehearsalRunsTheWholeClientPathAndRemovesItsFolder(@TempDir Path tmp) throws Exception {
    String before = System.getProperty("java.io.tmpdir");
    System.setProperty("java.io.tmpdir", tmp.toString());
    try {
      assertEquals(0, ExecRehearsal.run());
    } finally {
      System.setProperty("java.io.tmpdir", before);
    }
    try (Stream<Path> left = Files.list(tmp)) {
      assertEquals(List.of(), left.toList(), "the rehearsal's session folder is removed");
    }
  }

  /**
   * What the rehearsal loads is what an exec loads: the client's classes, which a {@code run} (the
   * archive's other training) never touches. Fails when the rehearsal stops going through them.
   */
  @Test
  void theRehearsalLoadsTheExecClientPath(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("out.txt");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(java.toString(), "-Xshare:auto", "-Xlog:class+load=info:stdout",
        "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"), ExecRehearsalProbe.class.getName())
        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    try {
      assertTrue(p.waitFor(100, TimeUnit.SECONDS), "the probe JVM did not finish");
    } finally {
      p.destroyForcibly();
    }
    String log = Files.readString(out, StandardCharsets.UTF_8);
    assertTrue(log.contains("PROBE: exit 0"), tail(log));
    for (String c : List.of("dev.sandboxkit.cli.ExecCommand", "dev.sandboxkit.cli.Sessions", "dev.sandboxkit.cli.ExecClient",
        "dev.sandboxkit.cli.ExecClient$Outcome", "dev.sandboxkit.cli.session.SessionStore",
        "dev.sandboxkit.cli.session.DaemonClient", "dev.sandboxkit.cli.session.DaemonClient$Exec",
        "dev.sandboxkit.cli.session.Wire$Frame", "dev.sandboxkit.cli.session.Wire$Exit",
        "sun.nio.ch.UnixDomainSockets", "dev.sandboxkit.cli.ExecHeadStart")) {
      assertTrue(log.contains(" " + c + " "), c + " is not loaded by the rehearsal: " + tail(log));
    }
    // What the exec path must not pay for (issue 12): the service search of a selector provider
    // through the CLI's jar (SelectorLookup). Only up to the probe's exit: from Java 21 on,
    // System.exit itself looks up a System.Logger backend (the JDK's Runtime.exit logging), which
    // searches the class path the same way.
    String path = log.substring(0, log.indexOf("PROBE: exit"));
    String search = "java.util.ServiceLoader$LazyClassPathLookupIterator";
    assertTrue(!path.contains(" " + search + " "), search + " is loaded by the exec path: " + tail(path));
  }

  private static String tail(String log) {
    return log.substring(Math.max(0, log.length() - 3000));
  }
}
