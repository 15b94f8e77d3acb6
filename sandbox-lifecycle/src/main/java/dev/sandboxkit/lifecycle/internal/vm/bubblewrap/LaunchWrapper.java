package dev.sandboxkit.lifecycle.internal.vm.bubblewrap;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts bwrap through {@code /bin/sh} so that, before bwrap runs, the process joins the run's
 * cgroups ({@link RunCgroup}: everything the sandbox starts is counted from its first instruction),
 * the seccomp filter file is open on the descriptor bwrap's {@code --seccomp} reads ({@link
 * SeccompFile#FD}) and the nonce file on the one its {@code --file} copies into the sandbox's
 * rendezvous tmpfs ({@link #NONCE_FD}). The shell
 * {@code exec}s bwrap: same pid and start time, so the run's proof is bwrap's. A cgroup that cannot
 * be joined ends the launch with status 125 before bwrap starts (fail closed).
 */
final class LaunchWrapper {
  static final String SH = "/bin/sh";
  /** Where bwrap reads the nonce from (a single digit: a POSIX shell redirects no higher). */
  static final int NONCE_FD = 4;
  /**
   * $0 "sh", $1 the filter file, $2 the nonce file, then cgroup.procs files up to "--", then the bwrap
   * command. It writes only to files named cgroup.procs.
   */
  static final String SCRIPT = "f=$1; n=$2; shift 2; while [ \"$1\" != -- ]; do case \"$1\" in */cgroup.procs) ;;"
      + " *) echo \"not a cgroup.procs file: $1\" >&2; exit 125;; esac; echo $$ > \"$1\" || exit 125; shift; done;"
      + " shift; exec \"$@\" " + SeccompFile.FD + "<\"$f\" " + NONCE_FD + "<\"$n\"";

  private LaunchWrapper() {}

  static List<String> wrap(List<String> bwrapCommand, Path seccompFile, Path nonceFile, List<Path> cgroupProcs) {
    List<String> a = new ArrayList<>(List.of(SH, "-c", SCRIPT, "sh", seccompFile.toString(), nonceFile.toString()));
    for (Path p : cgroupProcs) {
      a.add(p.toString());
    }
    a.add("--");
    a.addAll(bwrapCommand);
    return a;
  }

  /** The bwrap command inside a wrapped one (the command itself when it is not wrapped). */
  static List<String> unwrap(List<String> command) {
    if (command.size() > 2 && command.get(0).equals(SH) && command.get(2).equals(SCRIPT)) {
      int dashes = command.indexOf("--");
      if (dashes > 0) {
        return command.subList(dashes + 1, command.size());
      }
    }
    return command;
  }
}
