package dev.sandboxkit.cli;

import static dev.sandboxkit.cli.Asserts.assertContains;
import static dev.sandboxkit.cli.Asserts.assertNotContains;
import static dev.sandboxkit.cli.Asserts.assertOneLine;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sandboxkit.lifecycle.ExecutionRequest;
import dev.sandboxkit.lifecycle.ExecutionResult;
import dev.sandboxkit.lifecycle.FailurePhase;
import dev.sandboxkit.lifecycle.NetworkAccess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** {@code sandboxkit run} through picocli's execute() with a fake backend. */
class RunCommandTest {
  private final Cli cli = new Cli();

  private FakeBackend.Run onlyRun() {
    assertEquals(1, cli.backend.runs.size(), "runs");
    return cli.backend.runs.get(0);
  }

  @Test
  void runsTheCommandAfterDoubleDashWithPosixQuoting() {
    cli.backend.onRun = FakeBackend.printing("a b\n", "", 0);
    assertEquals(0, cli.execute("run", "--", "echo", "a b"));
    assertEquals("echo 'a b'", onlyRun().commandLine());
    assertEquals("a b\n", cli.out());
    assertEquals("", cli.err());
  }

  @Test
  void theCommandMayFollowWithoutDoubleDashAndKeepsItsOwnOptions() {
    assertEquals(0, cli.execute("run", "echo", "-n", "--json", "x"));
    assertEquals("echo -n --json x", onlyRun().commandLine());
  }

  @Test
  void windowsSandboxDriverUsesCmdQuoting() {
    assertEquals(0, cli.execute("run", "--driver", "windows-sandbox", "--", "echo", "a b", "x&y"));
    assertEquals("echo \"a b\" \"x&y\"", onlyRun().commandLine());
  }

  @Test
  void passesTheCommandsExitCodeThrough() {
    cli.backend.onRun = FakeBackend.printing("", "", 3);
    assertEquals(3, cli.execute("run", "--", "sh", "-c", "exit 3"));
    assertEquals("sh -c 'exit 3'", onlyRun().commandLine());
    assertEquals("", cli.err(), "a command's own non-zero exit is not a sandboxkit error");
  }

  @Test
  void streamsLiveToTheProcessStreams() {
    cli.execute("run", "--", "true");
    FakeBackend.Run r = onlyRun();
    assertTrue(r.stdout().isPresent());
    assertTrue(r.stderr().isPresent());
  }

  @Test
  void forwardsStdinWhenItIsNotATerminal() {
    cli.stdin = "piped input".getBytes(StandardCharsets.UTF_8);
    cli.execute("run", "--", "cat");
    assertArrayEquals("piped input".getBytes(StandardCharsets.UTF_8), cli.backend.stdinSeen);
  }

  @Test
  void doesNotForwardATerminalStdin() {
    cli.stdin = "typed".getBytes(StandardCharsets.UTF_8);
    cli.stdinIsTerminal = true;
    cli.execute("run", "--", "cat");
    assertTrue(onlyRun().stdin().isEmpty());
  }

  @Test
  void optionsBuildThePolicy(@TempDir Path dir) throws Exception {
    Path rw = Files.createDirectory(dir.resolve("rw"));
    Path ro = Files.createDirectory(dir.resolve("ro"));
    assertEquals(0, cli.execute("run", "--rw", rw.toString(), "--ro", ro.toString(), "--deny", "/etc/shadow",
        "--network", "allow", "--timeout", "2m", "--cwd", "/work", "--force-reclaim", "--", "true"));
    FakeBackend.Run r = onlyRun();
    assertEquals(List.of(rw), r.policy().readWritePaths());
    assertEquals(List.of(ro), r.policy().readOnlyPaths());
    assertEquals(List.of(Path.of("/etc/shadow")), r.policy().deniedPaths());
    assertEquals(NetworkAccess.ALLOW, r.policy().network());
    assertEquals(Optional.of(Duration.ofMinutes(2)), r.timeout());
    assertEquals("/work", r.workingDirectory());
    assertEquals(List.of(true), cli.backend.forceReclaims);
  }

  @Test
  void relativeMappedPathsResolveAgainstTheCurrentDirectory() {
    cli.execute("run", "--ro", ".", "--", "true");
    assertEquals(List.of(Path.of("").toAbsolutePath().normalize()), onlyRun().policy().readOnlyPaths());
  }

  @Test
  void defaultsAreNoTimeoutBlockedNetworkNoMappings() {
    cli.execute("run", "--", "true");
    FakeBackend.Run r = onlyRun();
    assertEquals(Optional.empty(), r.timeout());
    assertEquals(NetworkAccess.BLOCK, r.policy().network());
    assertTrue(r.policy().readWritePaths().isEmpty());
    assertEquals("", r.workingDirectory());
    assertEquals(List.of(false), cli.backend.forceReclaims);
  }

  @Test
  void timeoutZeroMeansNone() {
    cli.execute("run", "--timeout", "0", "--", "true");
    assertEquals(Optional.empty(), onlyRun().timeout());
  }

  @Test
  void aBadTimeoutIsAUsageErrorWithTheAcceptedForms() {
    assertEquals(125, cli.execute("run", "--timeout", "30", "--", "true"));
    assertOneLine(cli.err());
    assertContains(cli.err(), "sandboxkit: ", "--timeout", "500ms, 30s, 2m, 1h", "see 'sandboxkit run --help'");
    assertTrue(cli.backend.runs.isEmpty());
  }

  @Test
  void aBadNetworkValueIsAUsageError() {
    assertEquals(125, cli.execute("run", "--network", "open", "--", "true"));
    assertOneLine(cli.err());
    assertContains(cli.err(), "sandboxkit: invalid --network 'open': use --network block");
  }

  @Test
  void anUnknownOptionIs125NotTwo() {
    assertEquals(125, cli.execute("run", "--bogus", "--", "true"));
    assertContains(cli.err(), "sandboxkit: Unknown option: '--bogus'");
    assertTrue(cli.backend.runs.isEmpty());
  }

  @Test
  void anUnknownDriverIs125() {
    assertEquals(125, cli.execute("run", "--driver", "docker", "--", "true"));
    assertOneLine(cli.err());
    assertContains(cli.err(), "sandboxkit: unknown driver 'docker': use --driver");
  }

  @Test
  void noCommandIs125WithAnExample() {
    assertEquals(125, cli.execute("run"));
    assertOneLine(cli.err());
    assertContains(cli.err(), "sandboxkit: no command to run: pass the command after --");
  }

  @Test
  void aNulInTheCommandIsRejected() {
    assertEquals(125, cli.execute("run", "--", "echo", "a\0b"));
    assertContains(cli.err(), "NUL");
  }

  @Test
  void timeoutIs124WithOneLine() {
    cli.backend.onRun = r -> new ExecutionResult(-1, null, null, "process timed out after 5000ms", "",
        FailurePhase.TIMED_OUT);
    assertEquals(124, cli.execute("run", "--timeout", "5s", "--", "sleep", "30"));
    assertOneLine(cli.err());
    assertContains(cli.err(), "sandboxkit: the command timed out after 5s: raise --timeout");
  }

  @Test
  void policyRejectionIs125WithTheReasonOnOneLine() {
    cli.backend.onRun = r -> new ExecutionResult(-1, null, null,
        "The request's policy cannot be enforced by the bubblewrap driver.",
        "mapped path \"/nope\" does not exist or is inaccessible", FailurePhase.REJECTED);
    assertEquals(125, cli.execute("run", "--rw", "/nope", "--", "true"));
    assertOneLine(cli.err());
    assertContains(cli.err(), "sandboxkit: The request's policy cannot be enforced by the bubblewrap "
        + "driver: mapped path \"/nope\" does not exist");
  }

  @Test
  void launchFailureIs125AndVerboseAddsTheDetail() {
    cli.backend.onRun = r -> new ExecutionResult(-1, null, null, "Failed to launch the sandbox.",
        "bwrap exited 1\nbwrap: No permissions to creating new namespace", FailurePhase.LAUNCH_FAILED);
    assertEquals(125, cli.execute("run", "--", "true"));
    assertOneLine(cli.err());
    Cli verbose = new Cli(cli.backend);
    assertEquals(125, verbose.execute("run", "--verbose", "--", "true"));
    assertContains(verbose.err(), "sandboxkit: Failed to launch the sandbox: bwrap exited 1\n",
        "  bwrap: No permissions");
  }

  @Test
  void postLaunchFailureAndSpawnFailureAre126() {
    cli.backend.onRun = r -> new ExecutionResult(-1, null, null, "Execution inside the sandbox failed.",
        "relay broke", FailurePhase.POST_LAUNCH_FAILED);
    assertEquals(126, cli.execute("run", "--", "true"));
    assertOneLine(cli.err());
    Cli spawn = new Cli();
    spawn.backend.onRun = r -> new ExecutionResult(-1, null, null,
        "spawn child process: No such file or directory", "", FailurePhase.PROCESS_EXITED);
    assertEquals(126, spawn.execute("run", "--cwd", "/missing", "--", "true"));
    assertContains(spawn.err(), "sandboxkit: spawn child process: No such file or directory: check");
  }

  @Test
  void jsonPrintsOneObjectWithTheDocumentedSchema() throws Exception {
    cli.backend.onRun = FakeBackend.printing("hello\n", "warn\n", 7);
    assertEquals(7, cli.execute("run", "--json", "--", "x"));
    assertTrue(onlyRun().stdout().isPresent() && onlyRun().stdout().get() instanceof BoundedCapture,
        "--json captures into its bounded capture instead of streaming to stdout");
    assertOneLine(cli.out());
    JsonNode j = new ObjectMapper().readTree(cli.out());
    assertEquals(List.of("exit_code", "stdout", "stderr", "error_message", "extended_error", "failure_phase",
        "stdout_truncated", "stderr_truncated"), fieldNames(j));
    assertFalse(j.get("stdout_truncated").asBoolean());
    assertFalse(j.get("stderr_truncated").asBoolean());
    assertEquals(7, j.get("exit_code").asInt());
    assertEquals("hello\n", j.get("stdout").asText());
    assertEquals("warn\n", j.get("stderr").asText());
    assertEquals("ProcessExited", j.get("failure_phase").asText());
    assertEquals("", cli.err());
  }

  @Test
  void jsonReportsSandboxkitFailuresToo() throws Exception {
    cli.backend.onRun = r -> new ExecutionResult(-1, null, null, "timed out", "", FailurePhase.TIMED_OUT);
    assertEquals(124, cli.execute("run", "--json", "--", "x"));
    assertEquals("Timeout", new ObjectMapper().readTree(cli.out()).get("failure_phase").asText());
    Cli bad = new Cli();
    assertEquals(125, bad.execute("run", "--json", "--config-base64", "!!!"));
    JsonNode j = new ObjectMapper().readTree(bad.out());
    assertEquals(-1, j.get("exit_code").asInt());
    assertEquals("Rejected", j.get("failure_phase").asText());
    assertContains(j.get("error_message").asText(), "Failed to decode base64 configuration");
  }

  @Test
  void jsonCutsEachStreamAtTheLimitAndSaysSoInItsOwnFields() throws Exception {
    cli.backend.onRun = FakeBackend.printing("0123456789", "ab", 0);
    assertEquals(0, cli.execute("run", "--json", "--json-limit", "4", "--", "x"));
    JsonNode j = new ObjectMapper().readTree(cli.out());
    assertEquals("0123", j.get("stdout").asText());
    assertTrue(j.get("stdout_truncated").asBoolean());
    assertEquals("ab", j.get("stderr").asText());
    assertFalse(j.get("stderr_truncated").asBoolean());
    assertEquals("None", j.get("failure_phase").asText());
    assertEquals("", j.get("error_message").asText(), "without --fail-on-truncation a cut is not an error");
    assertEquals("", cli.err());
  }

  @Test
  void failOnTruncationExits122AndKeepsTheCommandsExitCodeInTheJson() throws Exception {
    cli.backend.onRun = FakeBackend.printing("0123456789", "abcdef", 3);
    assertEquals(ExitCodes.OUTPUT_TRUNCATED,
        cli.execute("run", "--json", "--json-limit", "4", "--fail-on-truncation", "--", "x"));
    JsonNode j = new ObjectMapper().readTree(cli.out());
    assertEquals(3, j.get("exit_code").asInt());
    assertTrue(j.get("stdout_truncated").asBoolean());
    assertTrue(j.get("stderr_truncated").asBoolean());
    assertContains(j.get("error_message").asText(), "stdout and stderr exceeded --json-limit (4 bytes)");
    assertOneLine(cli.err());
    assertContains(cli.err(), "sandboxkit: the command's stdout and stderr exceeded --json-limit",
        "raise --json-limit");
  }

  @Test
  void failOnTruncationWithoutACutPassesTheExitCodeThrough() throws Exception {
    cli.backend.onRun = FakeBackend.printing("0123", "", 5);
    assertEquals(5, cli.execute("run", "--json", "--json-limit", "4", "--fail-on-truncation", "--", "x"));
    assertFalse(new ObjectMapper().readTree(cli.out()).get("stdout_truncated").asBoolean());
  }

  @Test
  void aTimeoutStays124WithFailOnTruncation() throws Exception {
    cli.backend.onRun = r -> {
      FakeBackend.printing("0123456789", "", 0).apply(r);
      return new ExecutionResult(-1, null, null, "timed out", "", FailurePhase.TIMED_OUT);
    };
    assertEquals(124, cli.execute("run", "--json", "--json-limit", "1", "--fail-on-truncation", "--", "x"));
    JsonNode j = new ObjectMapper().readTree(cli.out());
    assertTrue(j.get("stdout_truncated").asBoolean());
    assertEquals("timed out", j.get("error_message").asText());
  }

  @ParameterizedTest
  @ValueSource(strings = {"--json-limit=4", "--fail-on-truncation"})
  void jsonOutputOptionsWithoutJsonAreRefused(String option) {
    assertEquals(125, cli.execute("run", option, "--", "x"));
    assertOneLine(cli.err());
    assertContains(cli.err(), "only applies to --json", "add --json");
    assertTrue(cli.backend.runs.isEmpty(), "nothing ran");
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "2g", "lots", ""})
  void aBadJsonLimitIsRefused(String limit) throws Exception {
    assertEquals(125, cli.execute("run", "--json", "--json-limit", limit, "--", "x"));
    assertContains(cli.err(), "invalid --json-limit", "from 0 to 1g");
    assertEquals("Rejected", new ObjectMapper().readTree(cli.out()).get("failure_phase").asText());
    assertTrue(cli.backend.runs.isEmpty(), "nothing ran");
  }

  @Test
  void aZeroJsonLimitKeepsNothing() throws Exception {
    cli.backend.onRun = FakeBackend.printing("x", "", 0);
    assertEquals(0, cli.execute("run", "--json", "--json-limit", "0", "--", "x"));
    JsonNode j = new ObjectMapper().readTree(cli.out());
    assertEquals("", j.get("stdout").asText());
    assertTrue(j.get("stdout_truncated").asBoolean());
  }

  @Test
  void mxcConfigFileSuppliesCommandAndTimeout() throws Exception {
    Path f = write("windows_sandbox_timeout.json");
    cli.execute("run", "--config", f.toString());
    FakeBackend.Run r = onlyRun();
    assertEquals("sleep 30", r.commandLine());
    assertEquals(Optional.of(Duration.ofMillis(5000)), r.timeout());
  }

  @Test
  void argvAndOptionsOverrideTheConfig() throws Exception {
    Path f = write("windows_sandbox_timeout.json");
    cli.execute("run", "--config", f.toString(), "--timeout", "1s", "--", "echo", "over ride");
    FakeBackend.Run r = onlyRun();
    assertEquals("echo 'over ride'", r.commandLine());
    assertEquals(Optional.of(Duration.ofSeconds(1)), r.timeout());
  }

  @Test
  void configBase64IsAccepted() {
    String json = "{\"containment\":\"vm\",\"process\":{\"commandLine\":\"echo b64\",\"cwd\":\"/w\"},"
        + "\"network\":{\"defaultPolicy\":\"allow\"}}";
    cli.execute("run", "--config-base64",
        Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)));
    FakeBackend.Run r = onlyRun();
    assertEquals("echo b64", r.commandLine());
    assertEquals("/w", r.workingDirectory());
    assertEquals(NetworkAccess.ALLOW, r.policy().network());
  }

  @Test
  void theNetworkOptionOverridesTheConfig() {
    String json = "{\"containment\":\"vm\",\"process\":{\"commandLine\":\"x\"},\"network\":{\"defaultPolicy\":\"allow\"}}";
    cli.execute("run", "--network", "block", "--config-base64",
        Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)));
    assertEquals(NetworkAccess.BLOCK, onlyRun().policy().network());
  }

  @Test
  void hostListsAndProxyReachThePolicy() {
    String json = "{\"containment\":\"vm\",\"process\":{\"commandLine\":\"x\"},\"network\":"
        + "{\"allowedHosts\":[\"a.com\"],\"proxy\":{\"localhost\":3128}}}";
    cli.execute("run", "--config-base64", Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)));
    assertEquals(List.of("a.com"), onlyRun().policy().allowedHosts());
    assertEquals(Optional.of("http://localhost:3128"), onlyRun().policy().proxy());
  }

  @Test
  void malformedJsonIs125WithOneLineAndNoRun() throws Exception {
    assertEquals(125, cli.execute("run", "--config", write("malformed.json").toString()));
    assertOneLine(cli.err());
    assertContains(cli.err(), "sandboxkit: configuration parse error: Invalid JSON syntax: ");
    assertTrue(cli.backend.runs.isEmpty());
  }

  @Test
  void unknownKeysAre125() throws Exception {
    assertEquals(125, cli.execute("run", "--config", write("unknown_key.json").toString()));
    assertOneLine(cli.err());
    assertContains(cli.err(), "unknown field `workingDirectory`", "remove `workingDirectory`");
    assertTrue(cli.backend.runs.isEmpty());
  }

  @Test
  void aStateAwareProvisionOfMissingFoldersIsAPolicyValidationEnvelope() throws Exception {
    assertEquals(1, cli.execute("run", "--config", write("state_aware_provision.json").toString()));
    assertTrue(cli.out().startsWith("{\"error\":{\"code\":\"policy_validation\",\"message\":\"mapped path "), cli.out());
    assertContains(cli.out(), "is not an existing directory");
    assertEquals(1, cli.out().lines().count(), "exactly one envelope");
  }

  @Test
  void bothConfigSourcesAreAUsageError() {
    assertEquals(125, cli.execute("run", "--config", "a.json", "--config-base64", "e30="));
    assertContains(cli.err(), "--config and --config-base64 are both given");
  }

  @Test
  void aMissingConfigFileIs125() {
    assertEquals(125, cli.execute("run", "--config", "/does/not/exist.json"));
    assertContains(cli.err(), "Configuration file not found: /does/not/exist.json");
  }

  @Test
  void configNotesAreShownUnlessQuiet() throws Exception {
    Path f = write("legacy_windows_sandbox_fields.json");
    cli.execute("run", "--config", f.toString());
    assertContains(cli.err(), "sandboxkit: warning: experimental.windows_sandbox.idleTimeoutMs");
    assertFalse(cli.err().contains("process.env"), "process.env is passed to the command now: " + cli.err());
    Cli quiet = new Cli();
    quiet.execute("run", "--quiet", "--config", f.toString());
    assertEquals("", quiet.err());
  }

  @Test
  void verboseShowsPathNotesAndStepTimings() {
    cli.execute("run", "--verbose", "--ro", "/does/not/exist", "--", "true");
    assertContains(cli.err(), "does not exist on the host", "sandboxkit: prepare ", " ms",
        "sandboxkit: teardown ");
  }

  @Test
  void noProgressLineWhenStderrIsNotATerminal() {
    cli.execute("run", "--", "true");
    assertNotContains(cli.err(), "starting");
    assertFalse(cli.err().contains("\r"));
  }

  private static List<String> fieldNames(JsonNode j) {
    List<String> names = new java.util.ArrayList<>();
    j.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @TempDir Path tmp;

  private Path write(String resource) throws Exception {
    Path f = tmp.resolve(resource);
    Files.write(f, MxcConfigParserTest.resource(resource));
    return f;
  }
}
