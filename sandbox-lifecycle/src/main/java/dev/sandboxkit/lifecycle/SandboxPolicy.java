package dev.sandboxkit.lifecycle;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the sandbox may see and reach. Paths are host paths; mapped folders appear at the same path
 * inside. Nothing else of the host's files is visible. Immutable; build with {@link #builder()}.
 *
 * @param readWritePaths host directories mapped read-write
 * @param readOnlyPaths host directories mapped read-only
 * @param deniedPaths absolute host paths that must stay invisible (must not overlap a mapping)
 * @param network loopback only ({@link NetworkAccess#BLOCK}, default) or the host network
 * @param allowedHosts per-host allow list (rejected by drivers that cannot enforce it)
 * @param blockedHosts per-host block list (rejected by drivers that cannot enforce it)
 * @param proxy an outbound proxy URL (rejected by drivers that cannot enforce it)
 */
public record SandboxPolicy(
    List<Path> readWritePaths,
    List<Path> readOnlyPaths,
    List<Path> deniedPaths,
    NetworkAccess network,
    List<String> allowedHosts,
    List<String> blockedHosts,
    Optional<String> proxy) {

  /** No mapped folders, network blocked. */
  public static final SandboxPolicy DEFAULT = builder().build();

  public SandboxPolicy {
    readWritePaths = List.copyOf(readWritePaths);
    readOnlyPaths = List.copyOf(readOnlyPaths);
    deniedPaths = List.copyOf(deniedPaths);
    Objects.requireNonNull(network, "network");
    allowedHosts = List.copyOf(allowedHosts);
    blockedHosts = List.copyOf(blockedHosts);
    Objects.requireNonNull(proxy, "proxy");
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder pre-filled with this policy. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.readWrite.addAll(readWritePaths);
    b.readOnly.addAll(readOnlyPaths);
    b.denied.addAll(deniedPaths);
    b.network = network;
    b.allowedHosts.addAll(allowedHosts);
    b.blockedHosts.addAll(blockedHosts);
    b.proxy = proxy.orElse(null);
    return b;
  }

  /** Collects a policy; {@link #build()} never touches the file system (planning does). */
  public static final class Builder {
    private final List<Path> readWrite = new ArrayList<>();
    private final List<Path> readOnly = new ArrayList<>();
    private final List<Path> denied = new ArrayList<>();
    private final List<String> allowedHosts = new ArrayList<>();
    private final List<String> blockedHosts = new ArrayList<>();
    private NetworkAccess network = NetworkAccess.BLOCK;
    private String proxy;

    private Builder() {}

    public Builder readWrite(Path... paths) {
      readWrite.addAll(List.of(paths));
      return this;
    }

    public Builder readOnly(Path... paths) {
      readOnly.addAll(List.of(paths));
      return this;
    }

    public Builder deny(Path... paths) {
      denied.addAll(List.of(paths));
      return this;
    }

    public Builder network(NetworkAccess access) {
      this.network = Objects.requireNonNull(access, "access");
      return this;
    }

    public Builder allowedHosts(List<String> hosts) {
      allowedHosts.addAll(hosts);
      return this;
    }

    public Builder blockedHosts(List<String> hosts) {
      blockedHosts.addAll(hosts);
      return this;
    }

    public Builder proxy(String url) {
      this.proxy = url;
      return this;
    }

    public SandboxPolicy build() {
      return new SandboxPolicy(
          readWrite, readOnly, denied, network, allowedHosts, blockedHosts, Optional.ofNullable(proxy));
    }
  }
}
