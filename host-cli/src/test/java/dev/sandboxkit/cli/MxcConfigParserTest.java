package dev.sandboxkit.cli;

import static dev.sandboxkit.cli.Asserts.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.lifecycle.NetworkAccess;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MxcConfigParserTest {

  static byte[] resource(String name) throws IOException {
    try (InputStream in = MxcConfigParserTest.class.getResourceAsStream("/configs/" + name)) {
      if (in == null) {
        throw new IOException("missing test resource " + name);
      }
      return in.readAllBytes();
    }
  }

  static MxcRequest parse(String json) throws ConfigException {
    return MxcConfigParser.parse(json);
  }

  static String error(String json) {
    return assertThrows(ConfigException.class, () -> parse(json)).getMessage();
  }

  private static final String WSB = "\"containment\":\"windows_sandbox\"";

  @Test
  void readsTheEchoConfig() throws Exception {
    MxcRequest r = MxcConfigParser.parse(resource("windows_sandbox_echo.json"));
    assertEquals(Optional.of("echo Hello from sandbox!"), r.commandLine());
    assertEquals(60000, r.timeoutMs());
    assertEquals("", r.cwd());
    assertEquals(Optional.empty(), r.network());
    assertTrue(r.notes().isEmpty());
  }

  @ParameterizedTest
  @ValueSource(strings = {"windows_sandbox_echo.json", "windows_sandbox_exit_code.json",
      "windows_sandbox_stderr.json", "windows_sandbox_timeout.json", "windows_sandbox_powershell.json",
      "windows_sandbox_powershell_env.json", "windows_sandbox_custom_timeout.json",
      "basic_windows_sandbox.json", "09_windows_sandbox_hello_world.json",
      "10_windows_sandbox_network_isolated.json"})
  void everyMxcWindowsSandboxConfigParses(String name) throws Exception {
    MxcRequest r = MxcConfigParser.parse(resource(name));
    assertTrue(r.commandLine().isPresent());
    assertTrue(r.timeoutMs() > 0);
  }

  @Test
  void vmIsAcceptedAsContainment() throws Exception {
    assertEquals(Optional.of("true"),
        parse("{\"containment\":\"vm\",\"process\":{\"commandLine\":\"true\"}}").commandLine());
  }

  @ParameterizedTest
  @ValueSource(strings = {"lxc", "processcontainer", "seatbelt"})
  void otherKnownContainmentsAreNotSupported(String c) {
    String m = error("{\"containment\":\"" + c + "\",\"process\":{\"commandLine\":\"x\"}}");
    assertContains(m, "containment \"" + c + "\" is not supported by sandboxkit",
        "\"bubblewrap\" (or \"process\" on Linux), \"windows_sandbox\" or \"vm\"", "at line 1 column");
  }

  // --- issue 15.1: containment "bubblewrap" (and "process", which mxc resolves to it on Linux) ---

  @ParameterizedTest
  @ValueSource(strings = {"bubblewrap", "process"})
  void bubblewrapContainmentTakesTheKeysMxcsBackendHonours(String c) throws Exception {
    MxcRequest r = parse("{\"containment\":\"" + c + "\",\"process\":{\"commandLine\":\"ls /w\",\"cwd\":\"/w\","
        + "\"env\":[\"A=1\"],\"timeout\":5000},\"filesystem\":{\"readwritePaths\":[\"/w\"],"
        + "\"readonlyPaths\":[\"/r\"],\"deniedPaths\":[\"/w/secret\"]},\"network\":{\"defaultPolicy\":\"allow\"}}");
    assertEquals(MxcRequest.BUBBLEWRAP, r.containment());
    assertEquals(Optional.of("ls /w"), r.commandLine());
    assertEquals("/w", r.cwd());
    assertEquals(5000, r.timeoutMs());
    assertEquals(List.of("A=1"), r.env());
    assertEquals(List.of("/w/secret"), r.deniedPaths());
    assertEquals(Optional.of(NetworkAccess.ALLOW), r.network());
  }

  @Test
  void windowsSandboxAndVmKeepTheirContainment() throws Exception {
    assertEquals(MxcRequest.WINDOWS_SANDBOX, parse("{" + WSB + ",\"process\":{\"commandLine\":\"x\"}}").containment());
    assertEquals(MxcRequest.WINDOWS_SANDBOX,
        parse("{\"containment\":\"vm\",\"process\":{\"commandLine\":\"x\"}}").containment());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "\"network\":{\"allowedHosts\":[\"example.com\"]}|network.allowedHosts|per-host network filtering",
      "\"network\":{\"blockedHosts\":[\"evil.test\"]}|network.blockedHosts|per-host network filtering",
      "\"network\":{\"proxy\":{\"localhost\":3128}}|network.proxy|network proxy cannot be enforced",
      "\"network\":{\"allowLocalNetwork\":true}|network.allowLocalNetwork|local-network-only",
      "\"experimental\":{\"windows_sandbox\":{}}|experimental.windows_sandbox|applies only to containment"})
  void whatTheBubblewrapDriverCannotEnforceIsRefusedWithItsJsonPath(String section, String path, String why) {
    String m = error("{\"containment\":\"bubblewrap\",\"process\":{\"commandLine\":\"x\"}," + section + "}");
    assertContains(m, "`" + path + "`", why);
  }

  @Test
  void emptyHostListsAndLocalNetworkWithAllowAreFine() throws Exception {
    MxcRequest r = parse("{\"containment\":\"bubblewrap\",\"process\":{\"commandLine\":\"x\"},\"network\":"
        + "{\"defaultPolicy\":\"allow\",\"allowLocalNetwork\":true,\"allowedHosts\":[],\"blockedHosts\":[]}}");
    assertEquals(Optional.of(NetworkAccess.ALLOW), r.network());
  }

  @Test
  void anUnknownContainmentIsAnUnknownVariant() {
    assertContains(error("{\"containment\":\"docker\"}"),
        "Invalid configuration at `containment`: unknown variant `docker`, expected one of `process`");
  }

  @Test
  void aMissingContainmentIsRejected() {
    assertContains(error("{\"process\":{\"commandLine\":\"x\"}}"), "`containment` is missing");
  }

  @Test
  void unknownTopLevelKeysAreRejectedWithThePathAndPosition() {
    String m = error("{\n  " + WSB + ",\n  \"bogus\": 1\n}");
    assertContains(m, "Invalid configuration at `bogus`: unknown field `bogus`, expected one of `$schema`",
        "at line 3 column 3");
  }

  @Test
  void unknownKeysInStableSectionsAreRejected() throws Exception {
    String m = assertThrows(ConfigException.class,
        () -> MxcConfigParser.parse(resource("unknown_key.json"))).getMessage();
    assertContains(m, "Invalid configuration at `process.workingDirectory`: unknown field "
        + "`workingDirectory`, expected one of `commandLine`, `cwd`, `env`, `timeout`", "at line 5 column 5");
    for (String section : List.of("filesystem", "network", "ui", "lifecycle", "fallback", "runtimeConfig")) {
      String msg = error("{" + WSB + ",\"" + section + "\":{\"nope\":1}}");
      assertContains(msg, "Invalid configuration at `" + section + ".nope`: unknown field `nope`");
    }
    assertContains(error("{" + WSB + ",\"network\":{\"proxy\":{\"nope\":1}}}"),
        "`network.proxy.nope`: unknown field");
  }

  @Test
  void keysAreCaseSensitive() {
    assertContains(error("{" + WSB + ",\"process\":{\"CommandLine\":\"x\"}}"),
        "unknown field `CommandLine`");
  }

  @Test
  void experimentalIsPermissive() throws Exception {
    MxcRequest r = parse("{" + WSB + ",\"process\":{\"commandLine\":\"x\"},\"experimental\":{"
        + "\"whatever\":{\"a\":1},\"test\":{\"message\":\"m\"},\"telemetry\":{\"enabled\":false},"
        + "\"windows_sandbox\":{\"unknown\":true}}}");
    assertTrue(r.notes().isEmpty());
  }

  @Test
  void legacyWindowsSandboxFieldsWarnOnceWhenNonDefault() throws Exception {
    MxcRequest r = MxcConfigParser.parse(resource("legacy_windows_sandbox_fields.json"));
    long warnings = r.notes().stream().filter(n -> n.text().contains("idleTimeoutMs and daemonPipeName "
        + "are ignored by the one-shot backend")).count();
    assertEquals(1, warnings);
  }

  @Test
  void legacyWindowsSandboxFieldsAtTheirDefaultsDoNotWarn() throws Exception {
    MxcRequest r = parse("{" + WSB + ",\"process\":{\"commandLine\":\"x\"},\"experimental\":{"
        + "\"windows_sandbox\":{\"idleTimeoutMs\":300000,\"daemonPipeName\":\"wxc-windows-sandbox\"}}}");
    assertTrue(r.notes().isEmpty());
    MxcRequest idle = parse("{" + WSB + ",\"process\":{\"commandLine\":\"x\"},\"experimental\":{"
        + "\"windows_sandbox\":{\"idleTimeout\":300}}}");
    assertEquals(1, idle.notes().size(), "idleTimeout is copied without seconds->ms conversion");
  }

  @Test
  void legacyWindowsSandboxFieldsAreTypeChecked() {
    assertContains(error("{" + WSB + ",\"experimental\":{\"windows_sandbox\":{\"idleTimeoutMs\":-1}}}"),
        "`experimental.windows_sandbox.idleTimeoutMs`: invalid value: integer `-1`, expected u32");
  }

  @Test
  void movedExperimentalSectionsAreRejected() {
    assertContains(error("{" + WSB + ",\"experimental\":{\"seatbelt\":{}}}"),
        "'experimental.seatbelt' has moved to the stable section");
  }

  @Test
  void otherBackendSectionsAreRejected() {
    assertContains(error("{" + WSB + ",\"lxc\":{},\"experimental\":{\"wslc\":{}}}"),
        "Multiple containment backends configured: 'containment' is 'windows_sandbox'",
        "'lxc', 'experimental.wslc'");
  }

  @Test
  void duplicateKeysAreRejected() {
    assertContains(error("{" + WSB + ",\"process\":{\"commandLine\":\"a\",\"commandLine\":\"b\"}}"),
        "Invalid configuration at `process.commandLine`: duplicate field `commandLine`");
    assertContains(error("{" + WSB + "," + WSB + "}"), "duplicate field `containment`");
  }

  @Test
  void aByteOrderMarkIsRejected() throws Exception {
    String m = assertThrows(ConfigException.class,
        () -> MxcConfigParser.parse(resource("bom.json"))).getMessage();
    assertContains(m, "Invalid JSON syntax", "byte order mark");
  }

  @Test
  void malformedJsonSaysWhere() throws Exception {
    String m = assertThrows(ConfigException.class,
        () -> MxcConfigParser.parse(resource("malformed.json"))).getMessage();
    assertContains(m, "Invalid JSON syntax: ", "at line 1 column");
  }

  @ParameterizedTest
  @ValueSource(strings = {"[]", "\"x\"", "42", "null", "true"})
  void aNonObjectIsRejected(String json) {
    assertContains(error(json), "expected a configuration object");
  }

  @Test
  void emptyInputAndTrailingContentAreRejected() {
    assertContains(error(""), "Invalid JSON syntax");
    assertContains(error("{" + WSB + "} {}"), "trailing characters");
    assertContains(error("{" + WSB), "Invalid JSON syntax");
  }

  @Test
  void invalidUtf8IsRejected() {
    byte[] bad = ("{" + WSB + ",\"process\":{\"commandLine\":\"\u00e9\"}}").getBytes(StandardCharsets.ISO_8859_1);
    assertContains(assertThrows(ConfigException.class, () -> MxcConfigParser.parse(bad)).getMessage(),
        "not valid UTF-8");
  }

  @Test
  void phaseIsAnsweredWithNotSupportedYet() throws Exception {
    String m = assertThrows(ConfigException.class,
        () -> MxcConfigParser.parse(resource("state_aware_provision.json"))).getMessage();
    assertContains(m, "state-aware phases are not supported yet");
    assertContains(error("{\"phase\":null}"), "state-aware phases are not supported yet");
  }

  @Test
  void stateAwareOnlyKeysWithoutPhaseAreRejected() {
    assertContains(error("{" + WSB + ",\"sandboxId\":\"wsb:1a2b3c4d\"}"),
        "'sandboxId' is only valid on state-aware lifecycle requests");
    assertContains(error("{" + WSB + ",\"correlationVector\":\"x\"}"),
        "'correlationVector' is only valid on state-aware lifecycle requests");
  }

  @Test
  void ignoredTopLevelFieldsAreAccepted() throws Exception {
    MxcRequest r = parse("{\"$schema\":\"https://x\",\"_comment\":[1,{\"a\":2}],\"version\":\"0.8.1\","
        + "\"containerId\":\"c\"," + WSB + ",\"process\":{\"commandLine\":\"x\"},"
        + "\"ui\":{\"disable\":true,\"clipboard\":\"none\",\"injection\":false},"
        + "\"lifecycle\":{\"destroyOnExit\":true,\"preservePolicy\":false},"
        + "\"fallback\":{\"allowDaclMutation\":true}}");
    assertEquals(Optional.of("x"), r.commandLine());
  }

  @Test
  void ignoredSectionsAreStillTypeChecked() {
    assertContains(error("{" + WSB + ",\"ui\":{\"clipboard\":\"some\"}}"),
        "`ui.clipboard`: unknown variant `some`");
    assertContains(error("{" + WSB + ",\"lifecycle\":{\"destroyOnExit\":\"yes\"}}"),
        "`lifecycle.destroyOnExit`: invalid type: string \"yes\", expected a boolean");
    assertContains(error("{" + WSB + ",\"process\":[]}"), "`process`: invalid type: sequence");
  }

  @ParameterizedTest
  @CsvSource({"0.6.0-alpha", "0.6.0", "0.7.3", "0.8.0-alpha", "0.9.9", "0.9.0+build.1"})
  void supportedVersionsAreAccepted(String v) throws Exception {
    parse("{\"version\":\"" + v + "\"," + WSB + ",\"process\":{\"commandLine\":\"x\"}}");
  }

  @Test
  void versionsOutsideTheRangeOrNotSemverAreRejected() {
    assertContains(error("{\"version\":\"0.5.9\"," + WSB + "}"),
        "Config schema version '0.5.9' is older than supported (supported: >=0.6, <=0.9)");
    assertContains(error("{\"version\":\"0.10.0\"," + WSB + "}"), "is newer than supported");
    assertContains(error("{\"version\":\"1.0.0\"," + WSB + "}"), "is newer than supported");
    assertContains(error("{\"version\":\"0.6\"," + WSB + "}"),
        "Invalid schema version '0.6': must be semver");
    parseQuietly("{\"version\":\"\"," + WSB + ",\"process\":{\"commandLine\":\"x\"}}");
  }

  @Test
  void commandLineChecks() throws Exception {
    assertContains(error("{" + WSB + ",\"process\":{\"commandLine\":\"\"}}"),
        "process.commandLine cannot be empty");
    assertContains(error("{" + WSB + ",\"process\":{\"commandLine\":\"a\\u0000b\"}}"),
        "process.commandLine must not contain null bytes");
    MxcRequest noCommand = parse("{" + WSB + ",\"process\":{\"timeout\":5}}");
    assertContains(assertThrows(ConfigException.class,
        () -> MxcConfigParser.requireCommand(noCommand)).getMessage(),
        "Missing required field: process.commandLine");
    MxcRequest noProcess = parse("{" + WSB + "}");
    assertContains(assertThrows(ConfigException.class,
        () -> MxcConfigParser.requireCommand(noProcess)).getMessage(), "'process' section is required");
  }

  @Test
  void timeoutIsAnUnsigned32BitMillisecondCount() throws Exception {
    assertEquals(0, parse("{" + WSB + ",\"process\":{\"commandLine\":\"x\"}}").timeoutMs());
    assertEquals(4294967295L,
        parse("{" + WSB + ",\"process\":{\"commandLine\":\"x\",\"timeout\":4294967295}}").timeoutMs());
    assertContains(error("{" + WSB + ",\"process\":{\"commandLine\":\"x\",\"timeout\":4294967296}}"),
        "`process.timeout`: invalid value: integer `4294967296`, expected u32");
    assertContains(error("{" + WSB + ",\"process\":{\"commandLine\":\"x\",\"timeout\":-1}}"),
        "expected u32");
    assertContains(error("{" + WSB + ",\"process\":{\"commandLine\":\"x\",\"timeout\":1.5}}"),
        "invalid type: floating point `1.5`, expected u32");
    assertContains(error("{" + WSB + ",\"process\":{\"commandLine\":\"x\",\"timeout\":\"5s\"}}"),
        "invalid type: string \"5s\", expected u32");
  }

  @Test
  void envIsParsedForTheCommandWithNoNote() throws Exception {
    MxcRequest r = parse("{" + WSB + ",\"process\":{\"commandLine\":\"x\",\"env\":[\"A=1\",\"B=2\"]}}");
    assertEquals(List.of("A=1", "B=2"), r.env());
    assertEquals(List.of(), r.notes(), "process.env is honoured (the guest's env capability), not ignored");
    assertContains(error("{" + WSB + ",\"process\":{\"env\":[1]}}"),
        "`process.env[0]`: invalid type: integer `1`, expected a string");
  }

  @Test
  void cwdIsKeptVerbatim() throws Exception {
    assertEquals("C:\\work dir", parse("{" + WSB + ",\"process\":{\"commandLine\":\"x\","
        + "\"cwd\":\"C:\\\\work dir\"}}").cwd());
  }

  @Test
  void filesystemParseTimeChecks(@TempDir Path dir) throws Exception {
    assertContains(error("{" + WSB + ",\"filesystem\":{\"readwritePaths\":[\"  \"]}}"),
        "Filesystem path is empty");
    assertContains(error("{" + WSB + ",\"filesystem\":{\"readonlyPaths\":[\"a\\u0000b\"]}}"),
        "contains an embedded NUL character");
    assertContains(error("{" + WSB + ",\"filesystem\":{\"deniedPaths\":[\"a\\\"b\"]}}"),
        "Filesystem path 'a\"b' contains invalid character '\"'");
    String d = dir.toString().replace("\\", "\\\\");
    MxcRequest r = parse("{" + WSB + ",\"filesystem\":{\"readwritePaths\":[\"" + d + "\",\"/x/y\"],"
        + "\"readonlyPaths\":[\"/x/y\"],\"deniedPaths\":[\"" + d + "\"]}}");
    assertEquals(List.of(), r.readWritePaths());
    assertEquals(List.of("/x/y"), r.readOnlyPaths());
    assertEquals(List.of(dir.toString()), r.deniedPaths());
    String notes = r.notes().toString();
    assertContains(notes, "appears in 'readwritePaths' and 'deniedPaths'; applying most-restrictive intent (denied)",
        "appears in 'readwritePaths' and 'readonlyPaths'; applying most-restrictive intent (read-only)",
        "filesystem path '/x/y' (in 'readonlyPaths') does not exist on the host");
  }

  @Test
  void legacyNetworkKeys() throws Exception {
    MxcRequest r = parse("{" + WSB + ",\"network\":{\"defaultPolicy\":\"allow\",\"enforcementMode\":"
        + "\"firewall\",\"allowLocalNetwork\":true,\"allowedHosts\":[\"a.com\"],\"blockedHosts\":[]}}");
    assertEquals(Optional.of(NetworkAccess.ALLOW), r.network());
    assertEquals(List.of("a.com"), r.allowedHosts());
    assertEquals(List.of(), r.blockedHosts());
    assertEquals(Optional.of(NetworkAccess.BLOCK),
        parse("{" + WSB + ",\"network\":{\"defaultPolicy\":\"block\"}}").network());
    assertEquals(Optional.empty(), parse("{" + WSB + ",\"network\":{}}").network());
    assertContains(error("{" + WSB + ",\"network\":{\"defaultPolicy\":\"deny\"}}"),
        "unknown variant `deny`, expected one of `allow`, `block`");
  }

  @Test
  void proxyForms() throws Exception {
    assertEquals(Optional.of("http://localhost:8080"),
        parse("{" + WSB + ",\"network\":{\"proxy\":{\"localhost\":8080}}}").proxy());
    assertEquals(Optional.of("https://p.example:3128"),
        parse("{" + WSB + ",\"network\":{\"proxy\":{\"url\":\"https://p.example:3128\"}}}").proxy());
    assertContains(error("{" + WSB + ",\"network\":{\"proxy\":{\"localhost\":0}}}"), "port 1-65535");
    assertContains(error("{" + WSB + ",\"network\":{\"proxy\":{\"url\":\"ftp://x:1\"}}}"),
        "invalid proxy URL");
    assertContains(error("{" + WSB + ",\"network\":{\"proxy\":{}}}"), "exactly one of");
    assertContains(error("{" + WSB + ",\"network\":{\"proxy\":{\"builtinTestServer\":true}}}"),
        "--allow-testing-features");
  }

  @Test
  void directionalNetworkKeysAreRejected() {
    assertContains(error("{" + WSB + ",\"network\":{\"egress\":{\"default\":\"deny\"}}}"),
        "require schema version 0.8 or later");
    assertContains(error("{\"version\":\"0.8.0\"," + WSB + ",\"network\":{\"ingress\":{}}}"),
        "network.ingress is not supported by sandboxkit");
    assertContains(error("{\"version\":\"0.8.0\"," + WSB + ",\"network\":{\"defaultPolicy\":\"block\","
        + "\"egress\":{}}}"), "network configuration cannot mix defaultPolicy");
    assertContains(error("{\"version\":\"0.8.0\"," + WSB + ",\"runtimeConfig\":{\"networkProxy\":\"x\"}}"),
        "runtimeConfig.networkProxy is not supported by the selected backend");
    assertContains(error("{" + WSB + ",\"runtimeConfig\":{\"networkProxy\":\"x\"}}"),
        "require schema version 0.8 or later");
  }

  @Test
  void secretLikeValuesAreNotEchoed() {
    String m = error("{" + WSB + ",\"experimental\":{\"windows_sandbox\":{\"daemonPipeName\":{\"x\":1}}}}");
    assertContains(m, "daemonPipeName");
    String secret = error("{" + WSB + ",\"network\":{\"allowedHosts\":[\"ok\"],\"blockedHosts\":\"hunter2\"}}");
    assertContains(secret, "invalid type: string \"hunter2\"");
    assertTrue(Text.secretLike("network.proxy.password"));
    assertEquals("invalid secret value",
        Describe.value(com.fasterxml.jackson.databind.node.TextNode.valueOf("hunter2"), true));
  }

  @Test
  void controlAndBidiCharactersAreEscapedInMessages() {
    String m = error("{" + WSB + ",\"b\\u202eogus\\u001b[2J\":1}");
    assertContains(m, "\\u{202E}", "\\u{001B}");
    assertFalse(m.contains("\u202e"));
    assertFalse(m.contains("\u001b"));
  }

  @Test
  void base64AndFileSources(@TempDir Path dir) throws Exception {
    String json = "{" + WSB + ",\"process\":{\"commandLine\":\"echo b64\"}}";
    assertEquals(Optional.of("echo b64"), MxcConfigParser.parseBase64(
        Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8))).commandLine());
    assertContains(assertThrows(ConfigException.class, () -> MxcConfigParser.parseBase64("%%%"))
        .getMessage(), "Failed to decode base64 configuration");
    assertContains(assertThrows(ConfigException.class, () -> MxcConfigParser.parseBase64(
        Base64.getEncoder().encodeToString(new byte[] {(byte) 0xff, (byte) 0xfe}))).getMessage(),
        "not valid UTF-8");
    Path f = dir.resolve("c.json");
    Files.writeString(f, json);
    assertEquals(Optional.of("echo b64"), MxcConfigParser.parseFile(f).commandLine());
    assertContains(assertThrows(ConfigException.class,
        () -> MxcConfigParser.parseFile(dir.resolve("missing.json"))).getMessage(),
        "Configuration file not found: ");
  }

  private static void parseQuietly(String json) {
    try {
      parse(json);
    } catch (ConfigException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }
}
