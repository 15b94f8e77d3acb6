package dev.sandboxkit.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sandboxkit.lifecycle.NetworkAccess;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The {@code network} and {@code runtimeConfig} sections. Only the legacy keys are supported
 * ({@code defaultPolicy}, {@code enforcementMode}, {@code allowLocalNetwork}, {@code allowedHosts},
 * {@code blockedHosts}, {@code proxy}); directional {@code egress}/{@code ingress} are rejected.
 * Whether the driver can enforce the result (e.g. host lists) is decided by the driver's policy
 * check, which rejects what it cannot enforce.
 */
final class NetworkSection {
  static final List<String> KEYS = List.of("defaultPolicy", "enforcementMode", "allowLocalNetwork",
      "allowedHosts", "blockedHosts", "proxy", "egress", "ingress");
  private static final List<String> LEGACY = List.of("defaultPolicy", "enforcementMode",
      "allowLocalNetwork", "allowedHosts", "blockedHosts", "proxy");

  record Result(Optional<NetworkAccess> access, List<String> allowedHosts, List<String> blockedHosts,
      Optional<String> proxy) {}

  private NetworkSection() {}

  static Result read(ConfigReader r, ObjectNode root, SchemaVersion version, List<MxcRequest.Note> notes)
      throws ConfigException {
    Optional<ObjectNode> runtime = r.object(root, "", "runtimeConfig");
    if (runtime.isPresent()) {
      r.allowOnly(runtime.get(), "runtimeConfig", List.of("networkProxy"));
      r.string(runtime.get(), "runtimeConfig", "networkProxy");
    }
    Optional<ObjectNode> net = r.object(root, "", "network");
    if (net.isEmpty()) {
      rejectRuntimeConfig(r, runtime, version);
      return new Result(Optional.empty(), List.of(), List.of(), Optional.empty());
    }
    ObjectNode n = net.get();
    r.allowOnly(n, "network", KEYS);
    boolean legacy = LEGACY.stream().anyMatch(n::has);
    boolean directional = n.has("egress") || n.has("ingress");
    if (legacy && (directional || runtime.isPresent())) {
      throw r.error("network", "network configuration cannot mix defaultPolicy, enforcementMode, "
          + "allowLocalNetwork, allowedHosts, blockedHosts, or proxy with egress, ingress, "
          + "runtimeConfig, or processContainer.network",
          "use only the legacy keys: defaultPolicy, allowedHosts, blockedHosts, proxy");
    }
    if (directional) {
      String key = n.has("egress") ? "egress" : "ingress";
      if (!version.atLeast(0, 8)) {
        throw r.error("network." + key, "network.egress, network.ingress, runtimeConfig, and "
            + "processContainer.network require schema version 0.8 or later",
            "use the legacy key network.defaultPolicy (\"block\" or \"allow\") instead");
      }
      throw r.error("network." + key, "network." + key + " is not supported by sandboxkit "
          + "(directional network rules cannot be enforced by its drivers)",
          "use the legacy key network.defaultPolicy (\"block\" or \"allow\") instead");
    }
    rejectRuntimeConfig(r, runtime, version);
    Optional<NetworkAccess> access = r.variant(n, "network", "defaultPolicy", List.of("allow", "block"))
        .map(v -> v.equals("allow") ? NetworkAccess.ALLOW : NetworkAccess.BLOCK);
    if (r.variant(n, "network", "enforcementMode", List.of("capabilities", "firewall", "both")).isPresent()) {
      notes.add(new MxcRequest.Note("network.enforcementMode is ignored: the driver enforces the "
          + "network policy its own way", true));
    }
    if (r.bool(n, "network", "allowLocalNetwork").isPresent()) {
      notes.add(new MxcRequest.Note("network.allowLocalNetwork is ignored: defaultPolicy decides", true));
    }
    List<String> allowed = r.strings(n, "network", "allowedHosts");
    List<String> blocked = r.strings(n, "network", "blockedHosts");
    return new Result(access, allowed, blocked, proxy(r, n));
  }

  private static void rejectRuntimeConfig(ConfigReader r, Optional<ObjectNode> runtime,
      SchemaVersion version) throws ConfigException {
    if (runtime.isEmpty()) {
      return;
    }
    if (!version.atLeast(0, 8)) {
      throw r.error("runtimeConfig", "network.egress, network.ingress, runtimeConfig, and "
          + "processContainer.network require schema version 0.8 or later", "remove runtimeConfig");
    }
    throw r.error("runtimeConfig", "runtimeConfig.networkProxy is not supported by the selected "
        + "backend", "remove runtimeConfig");
  }

  private static Optional<String> proxy(ConfigReader r, ObjectNode n) throws ConfigException {
    Optional<ObjectNode> proxy = r.object(n, "network", "proxy");
    if (proxy.isEmpty()) {
      return Optional.empty();
    }
    ObjectNode p = proxy.get();
    String path = "network.proxy";
    r.allowOnly(p, path, List.of("localhost", "builtinTestServer", "url"));
    if (p.size() != 1) {
      throw r.error(path, "exactly one of `localhost`, `builtinTestServer` or `url` must be set, "
          + "found " + p.size());
    }
    OptionalLong port = r.u32(p, path, "localhost");
    if (port.isPresent()) {
      if (port.getAsLong() < 1 || port.getAsLong() > 65535) {
        throw r.error(path + ".localhost", "invalid value: integer `" + port.getAsLong()
            + "`, expected a port 1-65535");
      }
      return Optional.of("http://localhost:" + port.getAsLong());
    }
    if (r.bool(p, path, "builtinTestServer").isPresent()) {
      throw r.error(path + ".builtinTestServer", "the built-in test proxy needs "
          + "--allow-testing-features, which sandboxkit does not offer", "remove network.proxy");
    }
    String url = r.string(p, path, "url").orElseThrow();
    try {
      URI u = new URI(url);
      if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null
          || u.getPort() < 1) {
        throw new URISyntaxException(url, "expected http(s)://host:port");
      }
    } catch (URISyntaxException e) {
      throw r.error(path + ".url", "invalid proxy URL: expected http(s)://host:port",
          "write the proxy as http://host:port");
    }
    return Optional.of(url);
  }
}
