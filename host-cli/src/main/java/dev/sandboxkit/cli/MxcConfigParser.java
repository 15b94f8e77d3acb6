package dev.sandboxkit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sandboxkit.lifecycle.NetworkAccess;
import dev.sandboxkit.lifecycle.internal.vm.windows.LegacyWindowsSandboxSettings;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads a one-shot mxc request with the rules of mxc's production parser (docs/mxc-compatibility.md §1):
 * unknown keys rejected at the top level and in stable sections, {@code experimental} permissive,
 * duplicate keys rejected, {@code phase} (state-aware) answered with "not supported yet".
 * {@code containment} must be {@code windows_sandbox} or {@code vm} (run by the driver {@code --driver}
 * chooses), or {@code bubblewrap} ({@code process} on Linux, as mxc resolves it), which needs the
 * bubblewrap driver; what mxc's bubblewrap backend accepts and the driver cannot enforce is refused
 * with its JSON path.
 */
final class MxcConfigParser {
  static final List<String> TOP_KEYS = List.of("$schema", "_comment", "version", "containerId",
      "containment", "process", "filesystem", "network", "runtimeConfig", "ui", "lifecycle",
      "fallback", "experimental", "processContainer", "appContainer", "lxc", "seatbelt",
      "macos_sandbox", "phase", "sandboxId", "correlationVector");
  static final List<String> CONTAINMENTS = List.of("process", "processcontainer", "appcontainer",
      "vm", "windows_sandbox", "lxc", "microvm", "hyperlight", "wslc", "seatbelt", "macos_sandbox",
      "isolation_session", "bubblewrap");
  private static final List<String> OTHER_BACKEND_SECTIONS =
      List.of("processContainer", "appContainer", "lxc", "seatbelt", "macos_sandbox");

  /** The largest request file read (--config): 16 MiB; a request is a few KiB. */
  static final int MAX_CONFIG_BYTES = 16 << 20;

  private MxcConfigParser() {}

  /** Reads a config file. */
  static MxcRequest parseFile(Path file) throws ConfigException {
    return parse(readBounded(file));
  }

  /** A config file's bytes, at most {@link #MAX_CONFIG_BYTES} (--config /dev/zero is refused, not read on). */
  static byte[] readBounded(Path file) throws ConfigException {
    if (!Files.exists(file)) {
      throw new ConfigException("Configuration file not found: " + Text.escape(file.toString()),
          "check the path given to --config");
    }
    byte[] bytes;
    try (java.io.InputStream in = Files.newInputStream(file)) {
      // bounded: --config /dev/zero (or a FIFO, a huge file) must not read until the heap is gone
      bytes = in.readNBytes(MAX_CONFIG_BYTES + 1);
      if (bytes.length > MAX_CONFIG_BYTES) {
        throw new ConfigException("Configuration file '" + Text.escape(file.toString()) + "' is larger "
            + "than " + (MAX_CONFIG_BYTES >> 20) + " MiB", "pass an mxc request file (JSON, a few KiB); "
            + "large inputs go through stdin or a mapped folder");
      }
    } catch (java.io.IOException e) {
      throw new ConfigException("Failed to read configuration file '" + Text.escape(file.toString())
          + "': " + Text.escape(String.valueOf(e.getMessage())), "check the file's permissions");
    }
    return bytes;
  }

  /** Reads {@code --config-base64}: standard alphabet with padding, UTF-8 content. */
  static MxcRequest parseBase64(String b64) throws ConfigException {
    if (b64.length() > MAX_CONFIG_BYTES / 3 * 4 + 4) {
      throw new ConfigException("--config-base64 is larger than " + (MAX_CONFIG_BYTES >> 20) + " MiB decoded",
          "pass an mxc request (JSON, a few KiB)");
    }
    byte[] bytes;
    try {
      bytes = java.util.Base64.getDecoder().decode(b64.trim());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("Failed to decode base64 configuration",
          "pass standard base64 with '=' padding, e.g. $(base64 -w0 config.json)");
    }
    return parse(bytes);
  }

  /** Reads raw bytes: strict UTF-8, no byte order mark. */
  static MxcRequest parse(byte[] bytes) throws ConfigException {
    if (bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB
        && (bytes[2] & 0xFF) == 0xBF) {
      throw new ConfigException("Invalid JSON syntax: expected value at line 1 column 1 (the "
          + "content starts with a UTF-8 byte order mark)", "save the file as UTF-8 without BOM");
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new ConfigException("Configuration is not valid UTF-8", "save the file as UTF-8");
    }
    return parse(text);
  }

  static MxcRequest parse(String text) throws ConfigException {
    ConfigReader r = new ConfigReader(LocatedJson.parse(text));
    ObjectNode root = r.root();
    if (root.has("phase")) {
      throw r.error("phase", "state-aware phases are not supported yet: sandboxkit runs one-shot "
          + "requests only", "remove `phase` (and `sandboxId`) and send a one-shot request with "
          + "process.commandLine");
    }
    r.allowOnly(root, "", TOP_KEYS);
    for (String key : List.of("sandboxId", "correlationVector")) {
      if (root.has(key)) {
        throw r.error(key, "'" + key + "' is only valid on state-aware lifecycle requests",
            "remove `" + key + "`");
      }
    }
    r.string(root, "", "$schema");
    SchemaVersion version = SchemaVersion.check(r.string(root, "", "version").orElse(null));
    r.string(root, "", "containerId");
    String containment = checkContainment(r, root);
    List<MxcRequest.Note> notes = new ArrayList<>();
    checkExperimental(r, root, notes);
    checkIgnoredSections(r, root);

    Optional<ObjectNode> process = r.object(root, "", "process");
    Optional<String> commandLine = Optional.empty();
    String cwd = "";
    long timeout = 0;
    List<String> env = List.of();
    if (process.isPresent()) {
      ObjectNode p = process.get();
      r.allowOnly(p, "process", List.of("commandLine", "cwd", "env", "timeout"));
      commandLine = r.string(p, "process", "commandLine");
      cwd = r.string(p, "process", "cwd").orElse("");
      if (cwd.indexOf('\0') >= 0) {
        throw r.error("process.cwd", "process.cwd must not contain null bytes");
      }
      OptionalLong t = r.u32(p, "process", "timeout");
      timeout = t.orElse(0);
      env = r.strings(p, "process", "env");
    }
    if (commandLine.isPresent()) {
      if (commandLine.get().isEmpty()) {
        throw r.error("process.commandLine", "process.commandLine cannot be empty");
      }
      if (commandLine.get().indexOf('\0') >= 0) {
        throw r.error("process.commandLine", "process.commandLine must not contain null bytes");
      }
    }
    Filesystem fs = filesystem(r, root, notes);
    NetworkSection.Result net = NetworkSection.read(r, root, version, notes);
    if (containment.equals(MxcRequest.BUBBLEWRAP)) {
      checkBubblewrapNetwork(r, root, net);
    }
    return new MxcRequest(process.isPresent(), commandLine, cwd, timeout, env, fs.rw, fs.ro, fs.denied, net.access(),
        net.allowedHosts(), net.blockedHosts(), net.proxy(), List.copyOf(notes), containment);
  }

  /**
   * Turns the parsed request's "is a command present" rule into mxc's messages; called once the
   * CLI override (argv after {@code --}) is known.
   */
  static String requireCommand(MxcRequest req) throws ConfigException {
    if (req.commandLine().isPresent()) {
      return req.commandLine().get();
    }
    if (!req.hasProcess()) {
      throw new ConfigException("'process' section is required",
          "add \"process\": {\"commandLine\": \"...\"} or pass the command after --");
    }
    throw new ConfigException("Missing required field: process.commandLine",
        "add process.commandLine or pass the command after --");
  }

  private static String checkContainment(ConfigReader r, ObjectNode root) throws ConfigException {
    JsonNode c = root.get("containment");
    String hint = "set \"containment\": \"bubblewrap\" (Linux), \"windows_sandbox\" or \"vm\"; sandboxkit "
        + "picks the driver with --driver (bubblewrap on Linux)";
    if (c == null || c.isNull()) {
      throw new ConfigException("Invalid configuration: `containment` is missing; sandboxkit runs "
          + "only \"bubblewrap\" (or \"process\" on Linux), \"windows_sandbox\" or \"vm\" requests", hint);
    }
    String v = r.variant(root, "", "containment", CONTAINMENTS).orElseThrow();
    boolean linux = !System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");
    String resolved = v.equals("bubblewrap") || (v.equals("process") && linux) ? MxcRequest.BUBBLEWRAP
        : v.equals("windows_sandbox") || v.equals("vm") ? MxcRequest.WINDOWS_SANDBOX : null;
    if (resolved == null) {
      throw r.error("containment", "containment \"" + v + "\" is not supported by sandboxkit; "
          + "expected \"bubblewrap\" (or \"process\" on Linux), \"windows_sandbox\" or \"vm\"", hint);
    }
    if (resolved.equals(MxcRequest.BUBBLEWRAP)) {
      Optional<ObjectNode> exp = r.object(root, "", "experimental");
      if (exp.isPresent() && exp.get().has("windows_sandbox")) {
        throw r.error("experimental.windows_sandbox", "'experimental.windows_sandbox' applies only to "
            + "containment \"windows_sandbox\"; 'containment' is '" + v + "'", "remove the section");
      }
    }
    List<String> others = new ArrayList<>();
    for (String s : OTHER_BACKEND_SECTIONS) {
      if (root.has(s)) {
        others.add("'" + s + "'");
      }
    }
    Optional<ObjectNode> exp = r.object(root, "", "experimental");
    for (String s : List.of("wslc", "isolation_session")) {
      if (exp.isPresent() && exp.get().has(s)) {
        others.add("'experimental." + s + "'");
      }
    }
    if (!others.isEmpty()) {
      throw new ConfigException("Multiple containment backends configured: 'containment' is '" + v
          + "' (allows the 'experimental.windows_sandbox' section), but the config also includes "
          + "unrelated backend section(s): " + String.join(", ", others) + ". Only one backend "
          + "section is allowed; remove the unused section(s).", "remove the unused section(s)");
    }
    return resolved;
  }

  /**
   * What mxc's bubblewrap backend accepts in {@code network} and the bubblewrap driver cannot enforce
   * (it shares the host network or gives the sandbox loopback only): refused with the JSON path.
   */
  private static void checkBubblewrapNetwork(ConfigReader r, ObjectNode root, NetworkSection.Result net)
      throws ConfigException {
    String fix = "remove it; the bubblewrap driver enforces network.defaultPolicy \"block\" (loopback only)"
        + " or \"allow\" (the host network) and nothing finer";
    if (!net.allowedHosts().isEmpty()) {
      throw r.error("network.allowedHosts", "per-host network filtering cannot be enforced by the bubblewrap "
          + "driver", fix);
    }
    if (!net.blockedHosts().isEmpty()) {
      throw r.error("network.blockedHosts", "per-host network filtering cannot be enforced by the bubblewrap "
          + "driver", fix);
    }
    if (net.proxy().isPresent()) {
      throw r.error("network.proxy", "a network proxy cannot be enforced by the bubblewrap driver", fix);
    }
    JsonNode local = root.path("network").path("allowLocalNetwork");
    if (local.isBoolean() && local.asBoolean() && net.access().orElse(NetworkAccess.BLOCK) == NetworkAccess.BLOCK) {
      throw r.error("network.allowLocalNetwork", "local-network-only access cannot be enforced by the bubblewrap "
          + "driver: with defaultPolicy \"block\" the sandbox has loopback only", "set defaultPolicy \"allow\" or "
          + "remove allowLocalNetwork");
    }
  }

  private static void checkExperimental(ConfigReader r, ObjectNode root, List<MxcRequest.Note> notes)
      throws ConfigException {
    Optional<ObjectNode> exp = r.object(root, "", "experimental");
    if (exp.isEmpty()) {
      return;
    }
    for (String moved : List.of("seatbelt", "macos_sandbox")) {
      if (exp.get().has(moved)) {
        throw r.error("experimental." + moved, "'experimental." + moved + "' has moved to the "
            + "stable section; use top-level '" + moved + "' instead.");
      }
    }
    Optional<ObjectNode> telemetry = r.object(exp.get(), "experimental", "telemetry");
    if (telemetry.isPresent()) {
      r.bool(telemetry.get(), "experimental.telemetry", "enabled");
    }
    Optional<ObjectNode> wsb = r.object(exp.get(), "experimental", "windows_sandbox");
    if (wsb.isPresent()) {
      String path = "experimental.windows_sandbox";
      OptionalLong idleMs = r.u32(wsb.get(), path, "idleTimeoutMs");
      OptionalLong idle = r.u32(wsb.get(), path, "idleTimeout");
      Optional<String> pipe = r.string(wsb.get(), path, "daemonPipeName");
      LegacyWindowsSandboxSettings.warningFor(
              idleMs.isPresent() ? idleMs.getAsLong() : null,
              idle.isPresent() ? idle.getAsLong() : null,
              pipe.orElse(null))
          .ifPresent(w -> notes.add(new MxcRequest.Note(w, false)));
    }
  }

  /** Sections mxc parses and the one-shot path ignores: shape-checked, then ignored. */
  private static void checkIgnoredSections(ConfigReader r, ObjectNode root) throws ConfigException {
    Optional<ObjectNode> ui = r.object(root, "", "ui");
    if (ui.isPresent()) {
      r.allowOnly(ui.get(), "ui", List.of("disable", "clipboard", "injection"));
      r.bool(ui.get(), "ui", "disable");
      r.variant(ui.get(), "ui", "clipboard", List.of("none", "read", "write", "all"));
      r.bool(ui.get(), "ui", "injection");
    }
    Optional<ObjectNode> lifecycle = r.object(root, "", "lifecycle");
    if (lifecycle.isPresent()) {
      r.allowOnly(lifecycle.get(), "lifecycle", List.of("destroyOnExit", "preservePolicy"));
      r.bool(lifecycle.get(), "lifecycle", "destroyOnExit");
      r.bool(lifecycle.get(), "lifecycle", "preservePolicy");
    }
    Optional<ObjectNode> fallback = r.object(root, "", "fallback");
    if (fallback.isPresent()) {
      r.allowOnly(fallback.get(), "fallback", List.of("allowDaclMutation"));
      r.bool(fallback.get(), "fallback", "allowDaclMutation");
    }
  }

  private record Filesystem(List<String> rw, List<String> ro, List<String> denied) {}

  private static Filesystem filesystem(ConfigReader r, ObjectNode root, List<MxcRequest.Note> notes)
      throws ConfigException {
    Optional<ObjectNode> fs = r.object(root, "", "filesystem");
    if (fs.isEmpty()) {
      return new Filesystem(List.of(), List.of(), List.of());
    }
    r.allowOnly(fs.get(), "filesystem", List.of("readwritePaths", "readonlyPaths", "deniedPaths"));
    List<String> rw = r.strings(fs.get(), "filesystem", "readwritePaths");
    List<String> ro = r.strings(fs.get(), "filesystem", "readonlyPaths");
    List<String> denied = r.strings(fs.get(), "filesystem", "deniedPaths");
    try {
      PathLists lists = PathLists.resolve(rw, ro, denied);
      lists.notes().forEach(n -> notes.add(new MxcRequest.Note(n, true)));
      return new Filesystem(lists.readWrite(), lists.readOnly(), lists.denied());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("Invalid configuration at `filesystem`: " + e.getMessage(),
          "fix or remove that path");
    }
  }
}
