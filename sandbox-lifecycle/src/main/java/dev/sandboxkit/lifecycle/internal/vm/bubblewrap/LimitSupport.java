package dev.sandboxkit.lifecycle.internal.vm.bubblewrap;

import dev.sandboxkit.lifecycle.ResourceLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which limits this host can enforce, and how: memory, pids and cpu through the run's cgroup
 * ({@link RunCgroup}) where one can be had; where none can, the pids limit on the user-namespace
 * path through {@code RLIMIT_NPROC} set inside the sandbox ({@code prlimit --nproc=N:N} before the
 * agent starts). Since Linux 5.14 that limit counts the tasks of the uid <em>in the sandbox's own
 * user namespace</em> only (ucounts): this sandbox's processes and threads, the agent's included,
 * as the cgroup's pids.max does. Set on the launcher instead, before bwrap creates the namespace,
 * it would become the namespace's ceiling for the user's processes on the whole host (measured: with
 * 52 processes of the uid outside, bwrap could not even create the namespace), so it is set inside.
 * A workload cannot raise it (the hard limit too; raising needs CAP_SYS_RESOURCE of the host).
 * Memory and cpu have no per-sandbox rlimit ({@code RLIMIT_AS} is per process and the agent's JVM
 * reserves more address space than a typical limit; {@code RLIMIT_CPU} is seconds, not a rate):
 * without a cgroup they are refused before launch (fail closed).
 */
final class LimitSupport {
  static final String PRLIMIT = "/usr/bin/prlimit";
  private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+).*");

  private final RunCgroup.Layout layout;
  private final boolean nprocFallback;
  private final String nprocWhyNot;

  LimitSupport(RunCgroup.Layout layout, boolean nprocFallback, String nprocWhyNot) {
    this.layout = layout;
    this.nprocFallback = nprocFallback;
    this.nprocWhyNot = nprocWhyNot;
  }

  /** This host: its cgroups, and the rlimit fallback on the user-namespace path (non-root). */
  static LimitSupport probe(boolean root) {
    String why = root ? "a root host uses cgroups (the agent runs as uid 0 there, outside the workload's count)"
        : !perNamespaceNproc(System.getProperty("os.version", ""))
            ? "Linux " + System.getProperty("os.version") + " counts RLIMIT_NPROC per user on the whole host (5.14+"
                + " counts per user namespace)"
            : !Files.isExecutable(Path.of(PRLIMIT)) ? PRLIMIT + " is not installed (util-linux)" : "";
    return new LimitSupport(RunCgroup.probe(), why.isEmpty(), why);
  }

  /** Whether this kernel counts RLIMIT_NPROC per user namespace (5.14 and later). */
  static boolean perNamespaceNproc(String osVersion) {
    Matcher m = VERSION.matcher(osVersion);
    if (!m.matches()) {
      return false;
    }
    int major = Integer.parseInt(m.group(1));
    int minor = Integer.parseInt(m.group(2));
    return major > 5 || (major == 5 && minor >= 14);
  }

  RunCgroup.Layout layout() {
    return layout;
  }

  private boolean pidsByRlimit(ResourceLimits l) {
    return l.pids() != 0 && !layout.parents().containsKey("pids") && nprocFallback;
  }

  /** The limits the run's cgroup enforces (all but a pids limit enforced by rlimit). */
  ResourceLimits cgroupPart(ResourceLimits l) {
    return pidsByRlimit(l) ? new ResourceLimits(l.memoryBytes(), 0, l.cpus(), l.tmpBytes()) : l;
  }

  /** The RLIMIT_NPROC to set inside the sandbox; 0: none. */
  int nproc(ResourceLimits l) {
    return pidsByRlimit(l) ? l.pids() : 0;
  }

  /** Why these limits cannot be enforced here, with what to do; empty when they can. */
  Optional<String> cannotEnforce(ResourceLimits l) {
    return layout.cannotEnforce(cgroupPart(l));
  }

  /** For {@code doctor}: each limit and how it is enforced here, or why not and what to do. */
  String describe() {
    List<String> how = new ArrayList<>();
    List<String> not = new ArrayList<>();
    for (String[] c : new String[][] {{"memory", "--memory"}, {"pids", "--pids"}, {"cpu", "--cpus"}}) {
      if (layout.parents().containsKey(c[0])) {
        how.add(c[1] + " (" + layout.version().map(v -> v == RunCgroup.Version.V1 ? "cgroup v1" : "cgroup v2")
            .orElse("cgroup") + ")");
      } else if (c[0].equals("pids") && nprocFallback) {
        how.add("--pids (RLIMIT_NPROC in the sandbox's user namespace)");
      } else {
        not.add(c[1]);
      }
    }
    StringBuilder s = new StringBuilder("--tmp-size (tmpfs size)");
    how.forEach(h -> s.append(", ").append(h));
    if (!not.isEmpty()) {
      s.append("; not enforceable here, refused before launch: ").append(String.join(", ", not)).append(" (")
          .append(layout.why());
      if (not.contains("--pids") && !nprocWhyNot.isEmpty()) {
        s.append("; no rlimit fallback for --pids: ").append(nprocWhyNot);
      }
      s.append("): run as root, or under a cgroup v2 subtree delegated to this user (for example"
          + " `systemd-run --user --scope -p Delegate=yes sandboxkit ...`)");
    }
    return s.toString();
  }
}
