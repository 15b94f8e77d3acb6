package dev.sandboxkit.lifecycle.internal.oneshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.lifecycle.internal.vm.GuestJar;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a fresh JVM loads before the runner asks the driver to launch (issue 7: the host's path from
 * JVM start to spawning bwrap). jackson-databind cost ~57 ms there even from a CDS archive, only to
 * write the run marker; the marker now uses jackson-core's streaming API, and this keeps it so. The
 * logging backend (java.util.logging, ~10 ms) starts only after the launch (lazy loggers).
 */
@Timeout(120)
class LaunchPathClassLoadingTest {

  @Test
  void nothingOfJacksonDatabindIsLoadedBeforeTheLaunch(@TempDir Path tmp) throws Exception {
    Path jar = Files.createFile(tmp.resolve(GuestJar.FILE_NAME));
    Path out = tmp.resolve("out.txt");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(java.toString(), "-Xshare:auto", "-Xlog:class+load=info:stdout",
        "-D" + GuestJar.PROPERTY + "=" + jar, "-cp", System.getProperty("java.class.path"),
        LaunchPathProbe.class.getName(), tmp.resolve("state").toString())
        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    try {
      assertTrue(p.waitFor(100, TimeUnit.SECONDS), "the probe JVM did not finish");
    } finally {
      p.destroyForcibly();
    }
    List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), tail(lines));
    int launch = lines.indexOf(LaunchPathProbe.LAUNCH_LINE);
    assertTrue(launch > 0, "the probe never reached the launch: " + tail(lines));
    assertTrue(lines.contains("PROBE: done"), tail(lines));
    List<String> databind = new ArrayList<>();
    for (String line : lines.subList(0, launch)) {
      if (line.contains("com.fasterxml.jackson.databind.")) {
        databind.add(line);
      }
    }
    assertEquals(List.of(), databind, "jackson-databind loaded before the launch");
    int logging = indexOf(lines.subList(0, launch), " java.util.logging.LogManager ");
    assertTrue(logging < 0, () -> "java.util.logging started before the launch: a lifecycle logger is created eagerly"
        + " again; the last of our classes loaded before it:\n" + ourClassesBefore(lines, logging));
    assertTrue(lines.subList(launch, lines.size()).stream().anyMatch(l -> l.contains(" java.util.logging.LogManager ")),
        "the post-launch warm-up starts the logging backend");
    assertTrue(lines.subList(0, launch).stream().anyMatch(l -> l.contains(" com.fasterxml.jackson.core.JsonFactory ")),
        "the check is meaningless if class loading was not logged: " + tail(lines));
  }

  private static int indexOf(List<String> lines, String needle) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(needle)) {
        return i;
      }
    }
    return -1;
  }

  private static String ourClassesBefore(List<String> lines, int end) {
    List<String> ours = new ArrayList<>();
    for (String line : lines.subList(0, Math.max(0, end))) {
      if (line.contains(" dev.sandboxkit.")) {
        ours.add(line);
      }
    }
    return String.join("\n", ours.subList(Math.max(0, ours.size() - 8), ours.size()));
  }

  private static String tail(List<String> lines) throws IOException {
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }
}
