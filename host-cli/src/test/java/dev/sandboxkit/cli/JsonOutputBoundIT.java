package dev.sandboxkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Issue 13.8: {@code run --json} with 100 MB of output in a real sandbox, in a CLI JVM of 64 MiB of
 * heap. The old path (the library's 64 MiB capture, then a String, then the JSON text) needed
 * 2.5 GB and dies here with OutOfMemoryError; the bounded capture keeps the limit and drains the rest.
 */
@EnabledOnOs(OS.LINUX)
@Timeout(180)
class JsonOutputBoundIT {
  private static final String HUNDRED_MB = "head -c 100000000 /dev/zero | tr '\\0' a; echo done >&2";
  private CliProcess cli;

  @BeforeEach
  void setUp() throws Exception {
    cli = new CliProcess();
  }

  @AfterEach
  void tearDown() {
    cli.delete();
  }

  private CliProcess.Result runSmallHeap(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-Djava.io.tmpdir=" + cli.tmp,
        "-Dsandboxkit.guest.jar=" + CliProcess.GUEST_JAR,
        "-jar", CliProcess.CLI_JAR.toString()));
    cmd.addAll(List.of(args));
    return cli.exec(cmd, null, Map.of());
  }

  @Test
  void hundredMegabytesAreCutAtTheLimitInASmallHeap() throws Exception {
    CliProcess.Result r = runSmallHeap("run", "-q", "--json", "--json-limit", "1m", "--", "sh", "-c", HUNDRED_MB);
    assertEquals(0, r.exit(), r.stderr());
    JsonNode j = new ObjectMapper().readTree(r.stdout());
    assertEquals(1 << 20, j.get("stdout").asText().length());
    assertTrue(j.get("stdout").asText().chars().allMatch(c -> c == 'a'));
    assertTrue(j.get("stdout_truncated").asBoolean(), r.stdout().substring(r.stdout().length() - 200));
    assertEquals("done\n", j.get("stderr").asText(), "the command ran to its end: the rest was drained");
    assertEquals(false, j.get("stderr_truncated").asBoolean());
    assertEquals(0, j.get("exit_code").asInt());
    assertEquals("None", j.get("failure_phase").asText());
    assertEquals("", r.stderr());
    assertEquals(List.of(), cli.runDirs());
  }

  @Test
  void failOnTruncationExits122() throws Exception {
    CliProcess.Result r = runSmallHeap("run", "-q", "--json", "--json-limit", "64k", "--fail-on-truncation",
        "--", "sh", "-c", HUNDRED_MB);
    assertEquals(ExitCodes.OUTPUT_TRUNCATED, r.exit(), r.stderr());
    JsonNode j = new ObjectMapper().readTree(r.stdout());
    assertEquals(0, j.get("exit_code").asInt(), "the command's own code stays in the JSON");
    assertTrue(j.get("stdout_truncated").asBoolean());
    assertEquals("sandboxkit: the command's stdout exceeded --json-limit (65536 bytes) and was cut: write large "
        + "output to a file in a mapped folder (--rw), raise --json-limit, or run without --json\n", r.stderr());
  }
}
