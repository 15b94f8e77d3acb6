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
 * @param limits memory, pids, cpu and {@code /tmp} size ({@link ResourceLimits}); refused by a driver
 *     that cannot enforce one
 * @param writeAsOwner opt-in for a root host with a root-owned work folder (issue 15.5): the workload
 *     writes to the read-write folders as their owner, root, through a user namespace that maps root
 *     in, without any capability (bubblewrap; see the README's Security model for what it gives up).
 *     Refused for read-write folders in system locations. No effect where the workload already runs
 *     as the calling user (a non-root host).
 */
public record SandboxPolicy(
    List<Path> readWritePaths,
    List<Path> readOnlyPaths,
    List<Path> deniedPaths,
    NetworkAccess network,
    List<String> allowedHosts,
    List<String> blockedHosts,
    Optional<String> proxy,
    ResourceLimits limits,
    boolean writeAsOwner) {

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
    Objects.requireNonNull(limits, "limits");
  }

  /** Without the write-as-owner opt-in. */
  public SandboxPolicy(List<Path> readWritePaths, List<Path> readOnlyPaths, List<Path> deniedPaths,
      NetworkAccess network, List<String> allowedHosts, List<String> blockedHosts, Optional<String> proxy,
      ResourceLimits limits) {
    this(readWritePaths, readOnlyPaths, deniedPaths, network, allowedHosts, blockedHosts, proxy, limits, false);
  }

  /** Without limits of its own ({@link ResourceLimits#DEFAULT}). */
  public SandboxPolicy(List<Path> readWritePaths, List<Path> readOnlyPaths, List<Path> deniedPaths,
      NetworkAccess network, List<String> allowedHosts, List<String> blockedHosts, Optional<String> proxy) {
    this(readWritePaths, readOnlyPaths, deniedPaths, network, allowedHosts, blockedHosts, proxy,
        ResourceLimits.DEFAULT);
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
    b.limits = limits;
    b.writeAsOwner = writeAsOwner;
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
    private ResourceLimits limits = ResourceLimits.DEFAULT;
    private boolean writeAsOwner;

    private Builder() {}

    /**
     * Root host with a root-owned work folder: the workload writes to the read-write folders as
     * their owner (root), still without capabilities ({@link SandboxPolicy#writeAsOwner()}).
     */
    public Builder writeAsOwner(boolean on) {
      this.writeAsOwner = on;
      return this;
    }

    /** All limits at once. */
    public Builder limits(ResourceLimits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /** Memory of the whole sandbox in bytes (0 = none; at least 128 MiB). */
    public Builder memoryLimit(long bytes) {
      limits = new ResourceLimits(bytes, limits.pids(), limits.cpus(), limits.tmpBytes());
      return this;
    }

    /** Processes and threads of the whole sandbox (0 = none; at least 32). */
    public Builder pidsLimit(int pids) {
      limits = new ResourceLimits(limits.memoryBytes(), pids, limits.cpus(), limits.tmpBytes());
      return this;
    }

    /** CPU time as a number of CPUs, e.g. 1.5 (0 = none). */
    public Builder cpuLimit(double cpus) {
      limits = new ResourceLimits(limits.memoryBytes(), limits.pids(), cpus, limits.tmpBytes());
      return this;
    }

    /** Size of the sandbox's {@code /tmp} in bytes (default 512 MiB; at least 1 MiB). */
    public Builder tmpSize(long bytes) {
      limits = new ResourceLimits(limits.memoryBytes(), limits.pids(), limits.cpus(), bytes);
      return this;
    }

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
          readWrite, readOnly, denied, network, allowedHosts, blockedHosts, Optional.ofNullable(proxy), limits,
          writeAsOwner);
    }
  }
}
