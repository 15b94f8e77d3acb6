package dev.sandboxkit.lifecycle.internal.policy;

import dev.sandboxkit.lifecycle.FailurePhase;
import dev.sandboxkit.lifecycle.NetworkAccess;
import dev.sandboxkit.lifecycle.SandboxException;
import dev.sandboxkit.lifecycle.SandboxPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns a {@link SandboxPolicy} into a {@link PolicyPlan} the driver can enforce, or rejects it
 * ({@link FailurePhase#REJECTED}) before anything is created (config-and-cli.md §1.4).
 *
 * <p>Mapped folders: absolute, existing directories, canonicalised with {@code toRealPath} (symlinks
 * resolved); the same path read-write and read-only is rejected; identical duplicates collapse;
 * nested mapped folders are rejected (component-wise). Denied paths: absolute; canonicalised (the
 * whole path if it exists, else its longest existing ancestor plus the lexical tail); rejected when
 * equal to, inside or containing a mapped folder; accepted elsewhere (nothing outside the mappings is
 * visible anyway). Network features the driver cannot enforce are rejected.
 */
public final class PolicyPlanner {

  private final String driverName;
  private final PathRules rules;
  private final NetworkSupport network;

  /**
   * @param driverName shown in the summary ("bubblewrap", "Windows Sandbox")
   * @param rules path comparison rules
   * @param network what the driver can enforce
   */
  public PolicyPlanner(String driverName, PathRules rules, NetworkSupport network) {
    this.driverName = Objects.requireNonNull(driverName, "driverName");
    this.rules = Objects.requireNonNull(rules, "rules");
    this.network = Objects.requireNonNull(network, "network");
  }

  /** The summary of every rejection. */
  public String summary() {
    return "The request's policy cannot be enforced by the " + driverName + " driver.";
  }

  /**
   * Plans {@code policy}.
   *
   * @throws SandboxException with phase REJECTED and the specific rule and path in {@link SandboxException#detail()}
   */
  public PolicyPlan plan(SandboxPolicy policy) throws SandboxException {
    checkNetwork(policy);
    List<MappedFolder> mapped = new ArrayList<>();
    for (Path p : policy.readWritePaths()) {
      add(mapped, new MappedFolder(canonicalMapped(p), false), p);
    }
    for (Path p : policy.readOnlyPaths()) {
      add(mapped, new MappedFolder(canonicalMapped(p), true), p);
    }
    for (int i = 0; i < mapped.size(); i++) {
      for (int j = 0; j < mapped.size(); j++) {
        Path a = mapped.get(i).hostPath();
        Path b = mapped.get(j).hostPath();
        if (i != j && rules.strictlyInside(a, b)) {
          throw reject("mapped path \"" + a + "\" overlaps another mapped path \"" + b + "\"; the " + driverName
              + " driver rejects nested mapped folders. Map only one of them.");
        }
      }
    }
    List<Path> denied = new ArrayList<>();
    for (Path d : policy.deniedPaths()) {
      Path canon = canonicalDenied(d);
      for (MappedFolder m : mapped) {
        Path share = m.hostPath();
        if (rules.same(canon, share)) {
          throw reject("denied path \"" + d + "\" is the same as mapped share \"" + share
              + "\"; remove it from one of the lists.");
        }
        if (rules.strictlyInside(canon, share)) {
          throw reject("denied path \"" + d + "\" lies inside mapped share \"" + share + "\"; the " + driverName
              + " driver cannot hide part of a mapped folder. Map a narrower folder instead.");
        }
        if (rules.strictlyInside(share, canon)) {
          throw reject("denied path \"" + d + "\" contains mapped share \"" + share
              + "\"; remove the share or the denied path.");
        }
      }
      if (denied.stream().noneMatch(x -> rules.same(x, canon))) {
        denied.add(canon);
      }
    }
    return new PolicyPlan(mapped, denied, policy.network(), policy.limits());
  }

  private void add(List<MappedFolder> mapped, MappedFolder folder, Path original) throws SandboxException {
    for (MappedFolder m : mapped) {
      if (rules.same(m.hostPath(), folder.hostPath())) {
        if (m.readOnly() != folder.readOnly()) {
          throw reject("path \"" + original + "\" is listed as both read-write and read-only; list it once.");
        }
        return;
      }
    }
    mapped.add(folder);
  }

  private Path canonicalMapped(Path p) throws SandboxException {
    if (!p.isAbsolute()) {
      throw reject("mapped path \"" + p + "\" is not an absolute host path; give the full path.");
    }
    Path real;
    try {
      real = p.toRealPath();
    } catch (IOException e) {
      String why = e instanceof java.nio.file.NoSuchFileException ? "no such file or directory"
          : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
          : String.valueOf(e.getMessage());
      throw reject("mapped path \"" + p + "\" does not exist or is inaccessible (" + why + "): create the"
          + " directory or fix the path; the " + driverName + " driver can only map an existing host folder");
    }
    if (!Files.isDirectory(real)) {
      throw reject("mapped path \"" + p + "\" is a file; the " + driverName
          + " driver can only map directories. Map its parent directory instead.");
    }
    return real;
  }

  private Path canonicalDenied(Path d) throws SandboxException {
    if (!d.isAbsolute()) {
      throw reject("denied path \"" + d + "\" is not an absolute host path; give the full path.");
    }
    Path norm = d.normalize();
    Path existing = norm;
    while (existing != null) {
      try {
        Path real = existing.toRealPath();
        return existing == norm ? real : real.resolve(existing.relativize(norm)).normalize();
      } catch (NoSuchFileException e) {
        existing = existing.getParent();
      } catch (IOException e) {
        throw reject("denied path \"" + d + "\" cannot be resolved: " + e);
      }
    }
    return norm;
  }

  private SandboxException reject(String detail) {
    return new SandboxException(FailurePhase.REJECTED, summary(), detail);
  }

  private void checkNetwork(SandboxPolicy policy) throws SandboxException {
    if (policy.network() == NetworkAccess.ALLOW && !network.allowHostNetwork()) {
      throw reject("outbound network access (network ALLOW) is not supported by the " + driverName
          + " driver; its sandbox is isolated from the network. Use network BLOCK or another driver.");
    }
    if (!network.hostLists() && (!policy.allowedHosts().isEmpty() || !policy.blockedHosts().isEmpty())) {
      throw reject("per-host network filtering (allowedHosts " + policy.allowedHosts() + ", blockedHosts "
          + policy.blockedHosts() + ") is not supported by the " + driverName
          + " driver; remove the host lists and use network BLOCK or ALLOW.");
    }
    if (!network.proxy() && policy.proxy().isPresent()) {
      throw reject("a network proxy is not supported by the " + driverName + " driver; remove the proxy setting.");
    }
  }
}
