package dev.sandboxkit.lifecycle.internal.vm.windows;

import dev.sandboxkit.lifecycle.SandboxPolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the Windows Sandbox driver cannot enforce beyond the planner's rules (docs/mxc-compatibility.md
 * §1.5), as pure checks: resource limits and mappings over the folders sandboxkit reserves in the VM.
 * The network rules are the planner's ({@code PolicyPlanner.checkNetwork}), checked before these.
 */
final class WindowsPolicyCheck {
  private WindowsPolicyCheck() {}

  /** The first problem, or empty when the driver can enforce {@code policy}. */
  static Optional<String> problem(SandboxPolicy policy) {
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
