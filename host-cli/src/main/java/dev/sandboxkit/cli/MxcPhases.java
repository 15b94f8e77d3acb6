package dev.sandboxkit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sandboxkit.cli.session.DaemonClient;
import dev.sandboxkit.cli.session.SessionException;
import dev.sandboxkit.cli.session.SessionId;
import dev.sandboxkit.cli.session.SessionManager;
import dev.sandboxkit.cli.session.SessionRecord;
import dev.sandboxkit.cli.session.SessionState;
import dev.sandboxkit.cli.session.Wire;
import dev.sandboxkit.lifecycle.ExecutionResult;
import dev.sandboxkit.lifecycle.FailurePhase;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * mxc's state-aware lifecycle ({@code "phase"}: provision, start, exec, stop, deprovision) over
 * the session daemon (docs/mxc-compatibility.md §1.9). Non-exec phases print
 * exactly one envelope on stdout ({@code {"result":{...}}} exit 0, {@code {"error":{"code","message"}}}
 * exit 1); exec relays the raw streams and exits with the command's code, a timed-out command with
 * 124 (B9; the sandbox stays usable) and Ctrl-C with 130 (cancelling that execution only, B10).
 * The policy is fixed at provision; later phases carrying one get {@code policy_validation}.
 */
final class MxcPhases {
  static final List<String> PHASES = List.of("provision", "start", "exec", "stop", "deprovision");
  private static final List<String> ONE_SHOT_SECTIONS =
      List.of("seatbelt", "macos_sandbox", "processContainer", "appContainer", "lxc", "lifecycle");
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int ERROR_EXIT = 1;

  /** A phase failure: mxc's code and message. */
  static final class PhaseError extends Exception {
    private static final long serialVersionUID = 1L;
    final String code;

    PhaseError(String code, String message) {
      super(message);
      this.code = code;
    }
  }

  private final RunCommand run;
  private final Backend backend;
  private final Io io;
  private final PrintWriter out;
  private final PrintWriter err;

  MxcPhases(RunCommand run, Backend backend, Io io, PrintWriter out, PrintWriter err) {
    this.run = run;
    this.backend = backend;
    this.io = io;
    this.out = out;
    this.err = err;
  }

  /**
   * The request's JSON object when it is state-aware (has a {@code phase} key, even null); empty
   * for one-shot requests and for anything unreadable (the one-shot path reports those).
   */
  static Optional<LocatedJson> stateAware(Path config, String configBase64) {
    byte[] bytes;
    try {
      if (configBase64 != null && configBase64.length() > MxcConfigParser.MAX_CONFIG_BYTES / 3 * 4 + 4) {
        return Optional.empty(); // too large: the one-shot path reports it
      }
      bytes = configBase64 != null ? java.util.Base64.getDecoder().decode(configBase64.trim())
          : MxcConfigParser.readBounded(config); // bounded (issue 14.7)
      String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
      LocatedJson doc = LocatedJson.parse(text);
      return doc.root() instanceof ObjectNode o && o.has("phase") ? Optional.of(doc) : Optional.empty();
    } catch (IOException | IllegalArgumentException | ConfigException e) {
      return Optional.empty();
    }
  }

  /** Runs the state-aware request; returns the exit code. */
  int execute(LocatedJson doc) {
    try {
      return phase(new ConfigReader(doc));
    } catch (PhaseError e) {
      return envelopeError(e.code, e.getMessage());
    } catch (ConfigException e) {
      return envelopeError("malformed_request", "Configuration parse error: " + e.getMessage());
    } catch (CliException e) {
      return envelopeError("malformed_request", e.whatFailed());
    } catch (SessionException e) {
      return envelopeError(e.kind().mxcCode(), e.getMessage());
    }
  }

  private int phase(ConfigReader r) throws PhaseError, ConfigException, SessionException {
    ObjectNode root = r.root();
    JsonNode p = root.get("phase");
    if (p == null || !p.isTextual()) {
      throw new PhaseError("malformed_request", "`phase` must be one of " + String.join(", ", PHASES));
    }
    String phase = p.textValue();
    if (!PHASES.contains(phase)) {
      throw new PhaseError("unsupported_phase", "unsupported phase " + SessionId.quote(phase)
          + "; expected one of " + String.join(", ", PHASES));
    }
    r.allowOnly(root, "", MxcConfigParser.TOP_KEYS);
    List<String> oneShot = new ArrayList<>();
    for (String s : ONE_SHOT_SECTIONS) {
      if (root.has(s)) {
        oneShot.add("'" + s + "'");
      }
    }
    if (!oneShot.isEmpty()) {
      throw new PhaseError("malformed_request", "State-aware lifecycle requests do not accept one-shot "
          + "section(s): " + String.join(", ", oneShot));
    }
    SchemaVersion.check(r.string(root, "", "version").orElse(null));
    r.string(root, "", "correlationVector");
    if (!phase.equals("exec") && !run.command.isEmpty()) {
      throw new PhaseError("malformed_request", "a command after -- is only valid with phase exec");
    }
    if (!phase.equals("exec") && root.has("process")) {
      throw new PhaseError("malformed_request", "'process' is only valid with phase exec");
    }
    if (phase.equals("provision")) {
      return provision(r, root);
    }
    if (root.has("containment")) {
      throw new PhaseError("malformed_request", "State-aware '" + phase + "' requests must not carry "
          + "'containment'; the backend is fixed at provision and later phases route by 'sandboxId'.");
    }
    JsonNode idNode = root.get("sandboxId");
    if (idNode == null || idNode.isNull()) {
      throw new PhaseError("malformed_request", "phase " + phase + " requires a sandboxId");
    }
    if (!idNode.isTextual()) {
      throw new PhaseError("malformed_id", "expected wsb:<token>, got " + idNode);
    }
    String sandboxId = idNode.textValue();
    String id = SessionId.fromMxc(sandboxId).orElseThrow(() -> new PhaseError("malformed_id",
        sandboxId.startsWith(SessionId.MXC_PREFIX)
            ? "sandbox token must be exactly 8 lowercase hex chars; got " + SessionId.quote(sandboxId.substring(4))
            : "expected wsb:<token>, got " + SessionId.quote(sandboxId)));
    if (root.has("filesystem") || root.has("network") || !run.readWrite.isEmpty() || !run.readOnly.isEmpty()
        || !run.deny.isEmpty() || run.network != null) {
      throw new PhaseError("policy_validation", "filesystem/network policy is fixed at provision; it "
          + "cannot be supplied or changed on a later phase");
    }
    SessionManager m = Sessions.manager(backend);
    return switch (phase) {
      case "start" -> start(m, id, sandboxId);
      case "exec" -> exec(m, r, root, id, sandboxId);
      case "stop" -> stop(m, id, sandboxId);
      default -> deprovision(m, id, sandboxId);
    };
  }

  private int provision(ConfigReader r, ObjectNode root) throws PhaseError, ConfigException, SessionException {
    if (root.has("sandboxId")) {
      throw new PhaseError("malformed_request", "provision mints the sandboxId; remove `sandboxId`");
    }
    JsonNode c = root.get("containment");
    if (c == null || c.isNull()) {
      throw new PhaseError("malformed_request", "State-aware 'provision' requires 'containment' "
          + "(\"windows_sandbox\" or \"vm\")");
    }
    String containment = r.variant(root, "", "containment", MxcConfigParser.CONTAINMENTS).orElseThrow();
    if (!containment.equals("windows_sandbox") && !containment.equals("vm")) {
      throw new PhaseError("unsupported_containment", "containment \"" + containment + "\" is not "
          + "supported by sandboxkit; expected \"windows_sandbox\" or \"vm\"");
    }
    List<String> rw = new ArrayList<>(run.readWrite);
    List<String> ro = new ArrayList<>(run.readOnly);
    List<String> deny = new ArrayList<>(run.deny);
    Optional<ObjectNode> fs = r.object(root, "", "filesystem");
    if (fs.isPresent()) {
      r.allowOnly(fs.get(), "filesystem", List.of("readwritePaths", "readonlyPaths", "deniedPaths"));
      rw.addAll(0, r.strings(fs.get(), "filesystem", "readwritePaths"));
      ro.addAll(0, r.strings(fs.get(), "filesystem", "readonlyPaths"));
      deny.addAll(0, r.strings(fs.get(), "filesystem", "deniedPaths"));
    }
    String network = network(r, root);
    PathLists lists;
    try {
      lists = PathLists.resolve(rw, ro, deny);
    } catch (IllegalArgumentException e) {
      throw new PhaseError("policy_validation", "invalid path: " + e.getMessage());
    }
    List<String> absRw = directories(lists.readWrite());
    List<String> absRo = directories(lists.readOnly());
    List<Path> mapped = new ArrayList<>();
    absRw.forEach(x -> mapped.add(Path.of(x)));
    absRo.forEach(x -> mapped.add(Path.of(x)));
    try {
      Sessions.refuseStateRoot(mapped, Sessions.store().root());
    } catch (CliException e) {
      throw new PhaseError("policy_validation", e.whatFailed());
    }
    String driver = backend.resolveDriver(run.driver);
    SessionRecord rec = Sessions.manager(backend).provision("mxc", driver, Optional.empty(), absRw, absRo,
        lists.denied(), network, 0);
    ObjectNode env = MAPPER.createObjectNode();
    env.putObject("result").put("sandboxId", SessionId.MXC_PREFIX + rec.id());
    return envelope(env, 0);
  }

  private String network(ConfigReader r, ObjectNode root) throws PhaseError, ConfigException {
    String net = run.network == null ? null : run.network.toLowerCase(Locale.ROOT);
    Optional<ObjectNode> n = r.object(root, "", "network");
    if (n.isPresent()) {
      for (String k : List.of("allowedHosts", "blockedHosts", "proxy", "egress", "ingress")) {
        JsonNode v = n.get().get(k);
        if (v != null && !v.isNull() && !(v.isArray() && v.isEmpty())) {
          throw new PhaseError("policy_validation", "network." + k + " is not supported for state-aware "
              + "sandboxes; use defaultPolicy block or allow");
        }
      }
      Optional<String> d = r.string(n.get(), "network", "defaultPolicy");
      if (net == null && d.isPresent()) {
        net = d.get().toLowerCase(Locale.ROOT);
      }
    }
    if (net == null) {
      return "block";
    }
    if (!net.equals("block") && !net.equals("allow")) {
      throw new PhaseError("policy_validation", "network policy " + SessionId.quote(net)
          + " is not supported; use block or allow");
    }
    return net;
  }

  /** Mapped folders must be existing directories (checked at provision, as mxc plans them). */
  private static List<String> directories(List<String> in) throws PhaseError {
    List<String> out = new ArrayList<>();
    for (String s : in) {
      Path p = Path.of(s).toAbsolutePath().normalize();
      if (!Files.isDirectory(p)) {
        throw new PhaseError("policy_validation", "mapped path " + SessionId.quote(p.toString())
            + " is not an existing directory");
      }
      out.add(p.toString());
    }
    return out;
  }

  private int start(SessionManager m, String id, String sandboxId) throws SessionException, PhaseError {
    SessionRecord rec = m.store().read(id).orElseThrow(() -> notProvisioned(sandboxId));
    if (m.daemonAlive(id)) {
      throw new PhaseError("already_started", "sandbox " + sandboxId + " is already started");
    }
    m.start(rec.id());
    return envelope(emptyResult(), 0);
  }

  private int stop(SessionManager m, String id, String sandboxId) throws SessionException, PhaseError {
    SessionRecord rec = m.store().read(id).orElseThrow(() -> notProvisioned(sandboxId));
    if (rec.state() == SessionState.STOPPED || rec.state() == SessionState.PROVISIONED) {
      if (m.daemonAlive(id)) {
        m.stop(id); // reaps an interrupted start's daemon
      }
      throw new PhaseError("already_stopped", "sandbox " + sandboxId + " is not started");
    }
    m.stop(id);
    return envelope(emptyResult(), 0);
  }

  private int deprovision(SessionManager m, String id, String sandboxId) throws SessionException, PhaseError {
    m.store().read(id).orElseThrow(() -> notProvisioned(sandboxId));
    m.remove(id);
    return envelope(emptyResult(), 0);
  }

  private int exec(SessionManager m, ConfigReader r, ObjectNode root, String id, String sandboxId)
      throws PhaseError, ConfigException, SessionException {
    Optional<ObjectNode> process = r.object(root, "", "process");
    Optional<String> commandLine = Optional.empty();
    String cwd = "";
    long timeoutMs = 0;
    List<String> envList = List.of();
    if (process.isPresent()) {
      r.allowOnly(process.get(), "process", List.of("commandLine", "cwd", "env", "timeout"));
      commandLine = r.string(process.get(), "process", "commandLine");
      cwd = r.string(process.get(), "process", "cwd").orElse("");
      OptionalLong t = r.u32(process.get(), "process", "timeout");
      timeoutMs = t.orElse(0);
      envList = r.strings(process.get(), "process", "env");
    }
    if (run.cwd != null) {
      cwd = run.cwd;
    }
    if (run.timeout != null) {
      timeoutMs = run.timeout.toMillis();
    }
    if (timeoutMs >= ConfigReader.U32_MAX) {
      timeoutMs = 0;
    }
    if (cwd.indexOf('\0') >= 0) {
      throw new PhaseError("malformed_request", "process.cwd must not contain null bytes");
    }
    Map<String, String> env = EnvOptions.resolve(envList, run.env, run.envPass, System.getenv());
    Wire.ExecRequest req;
    if (!run.command.isEmpty()) {
      req = new Wire.ExecRequest(run.command, Optional.empty(), cwd, timeoutMs, env);
    } else {
      String line = commandLine.orElseThrow(() -> new PhaseError("malformed_request",
          "Missing required field: process.commandLine"));
      if (line.isEmpty() || line.indexOf('\0') >= 0) {
        throw new PhaseError("malformed_request", line.isEmpty() ? "process.commandLine cannot be empty"
            : "process.commandLine must not contain null bytes");
      }
      req = new Wire.ExecRequest(List.of(), Optional.of(line), cwd, timeoutMs, env);
    }
    if (!m.daemonAlive(id)) {
      throw new PhaseError("not_started", "sandbox " + sandboxId + " is not started");
    }
    DaemonClient.Exec exec;
    try {
      exec = ExecClient.admit(m.store(), id, req);
    } catch (DaemonClient.Refused e) {
      throw new PhaseError(e.reason().equals("closed") ? "not_started" : "backend_error",
          e.reason().equals("busy") ? "sandbox is busy: another exec is already running"
              : "daemon rejected exec: " + e.reason());
    } catch (DaemonClient.NotRunning e) {
      throw new PhaseError("not_started", "sandbox " + sandboxId + " is not started");
    } catch (IOException e) {
      throw new PhaseError("backend_error", "cannot reach the daemon: " + e.getMessage());
    }
    ExecClient.Outcome o;
    try {
      o = ExecClient.relay(exec, io);
    } catch (IOException e) {
      throw new PhaseError("backend_error", e.getMessage());
    }
    ExecutionResult res = o.result();
    if (o.brokenPipe()) {
      return ExecClient.BROKEN_PIPE;
    }
    if (res.failurePhase() == FailurePhase.TIMED_OUT) { // B9: a documented exit code, not an error
      err.println("sandboxkit: the command timed out after " + timeoutMs + " ms (exit 124); the sandbox "
          + "stays usable");
      err.flush();
      return ExitCodes.TIMED_OUT;
    }
    if (res.failurePhase().name().equals("CANCELLED")) {
      return ExecClient.INTERRUPTED;
    }
    if (res.exitCode() < 0 || (res.failurePhase() != FailurePhase.NONE
        && res.failurePhase() != FailurePhase.PROCESS_EXITED)) {
      throw new PhaseError("backend_error", "execution failed: " + (res.errorMessage().isBlank()
          ? res.failurePhase().name() : res.errorMessage()));
    }
    return res.exitCode();
  }

  private static PhaseError notProvisioned(String sandboxId) {
    return new PhaseError("not_provisioned", "sandbox " + sandboxId + " is not provisioned");
  }

  private static ObjectNode emptyResult() {
    ObjectNode n = MAPPER.createObjectNode();
    n.putObject("result");
    return n;
  }

  private int envelopeError(String code, String message) {
    ObjectNode n = MAPPER.createObjectNode();
    n.putObject("error").put("code", code).put("message", message);
    return envelope(n, ERROR_EXIT);
  }

  private int envelope(ObjectNode n, int code) {
    out.println(n.toString());
    out.flush();
    return code;
  }
}
