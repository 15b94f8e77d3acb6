package dev.sandboxkit.lifecycle.internal.vm.bubblewrap;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts bwrap through {@code /bin/sh} so that, before bwrap runs, the process joins the run's
 * cgroups ({@link RunCgroup}: everything the sandbox starts is counted from its first instruction)
 * and the seccomp filter file is open on the descriptor bwrap's {@code --seccomp} reads. The shell
 * {@code exec}s bwrap: same pid and start time, so the run's proof is bwrap's. A cgroup that cannot
 * be joined ends the launch with status 125 before bwrap starts (fail closed).
 */
final class LaunchWrapper {
  static final String SH = "/bin/sh";
  /**
   * $0 "sh", $1 the filter file, then cgroup.procs files up to "--", then the bwrap command. It
   * writes only to files named cgroup.procs.
   */
  static final String SCRIPT = "f=$1; shift; while [ \"$1\" != -- ]; do case \"$1\" in */cgroup.procs) ;;"
      + " *) echo \"not a cgroup.procs file: $1\" >&2; exit 125;; esac; echo $$ > \"$1\" || exit 125; shift; done;"
      + " shift; exec \"$@\" " + SeccompFile.FD + "<\"$f\"";

  private LaunchWrapper() {}

  static List<String> wrap(List<String> bwrapCommand, Path seccompFile, List<Path> cgroupProcs) {
    List<String> a = new ArrayList<>(List.of(SH, "-c", SCRIPT, "sh", seccompFile.toString()));
    for (Path p : cgroupProcs) {
      a.add(p.toString());
    }
    a.add("--");
    a.addAll(bwrapCommand);
    return a;
  }
}
