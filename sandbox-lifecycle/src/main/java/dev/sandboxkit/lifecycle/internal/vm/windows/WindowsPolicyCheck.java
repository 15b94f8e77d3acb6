package dev.sandboxkit.lifecycle.internal.vm.windows;

import dev.sandboxkit.lifecycle.NetworkAccess;
import dev.sandboxkit.lifecycle.SandboxPolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What the Windows Sandbox driver cannot enforce (docs/mxc-compatibility.md §1.5), as pure checks. */
final class WindowsPolicyCheck {
  static final String SUMMARY = "The request's policy cannot be enforced by the windows-sandbox driver.";

  private WindowsPolicyCheck() {}

  /** The first problem, or empty when the driver can enforce {@code policy}. */
  static Optional<String> problem(SandboxPolicy policy) {
    if (policy.network() == NetworkAccess.ALLOW) {
      return Optional.of("outbound network access (network ALLOW) is not supported by the windows-sandbox"
          + " driver; the guest agent enforces network isolation. Use network BLOCK or the bubblewrap driver");
    }
    if (!policy.allowedHosts().isEmpty() || !policy.blockedHosts().isEmpty()) {
      return Optional.of("per-host network filtering (allowedHosts/blockedHosts) is not supported by the"
          + " windows-sandbox driver; remove the host lists");
    }
    if (policy.proxy().isPresent()) {
      return Optional.of("a network proxy is not supported by the windows-sandbox driver; remove it");
    }
    Optional<String> limits = WindowsLimits.problem(policy.limits());
    if (limits.isPresent()) {
      return limits;
    }
    List<Path> mapped = new ArrayList<>(policy.readWritePaths());
    mapped.addAll(policy.readOnlyPaths());
    for (Path p : mapped) {
      for (String reserved : List.of(WsbFile.GUEST_DIR, WsbFile.JAVA_DIR, WsbFile.RENDEZVOUS_DIR)) {
        if (WsbFile.overlaps(WsbFile.hostPath(p.toString()), reserved)) {
          return Optional.of("mapped path \"" + p + "\" overlaps the sandbox folder " + reserved
              + " that sandboxkit reserves for its guest; map another folder");
        }
      }
    }
    return Optional.empty();
  }
}
