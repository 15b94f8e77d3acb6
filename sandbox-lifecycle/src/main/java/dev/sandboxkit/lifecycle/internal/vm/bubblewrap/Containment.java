package dev.sandboxkit.lifecycle.internal.vm.bubblewrap;

import dev.sandboxkit.lifecycle.ResourceLimits;
import java.util.Objects;
import java.util.Optional;

/**
 * The containment options of one sandbox's bwrap command line beyond its mounts.
 *
 * @param seccompFd the descriptor bwrap reads the seccomp filter from ({@code --seccomp FD}; the
 *     launcher opens the filter file there, {@link LaunchWrapper}); -1: none (training sandboxes)
 * @param disableUserns {@code --disable-userns} (needs bwrap's own user namespace: unprivileged path)
 * @param tmpBytes the size of {@code /tmp} ({@code --size})
 * @param job root host: the workload's own identity, apart from the agent's ({@link JobIdentity});
 *     empty: the workload runs as the agent does (training sandboxes, the user-namespace path)
 * @param nproc user-namespace path: the RLIMIT_NPROC set inside the sandbox before the agent starts
 *     (the pids limit where no cgroup can be had, {@link LimitSupport}); 0: none
 * @param mapCaller root host, write-as-owner ({@code SandboxPolicy.writeAsOwner}): the sandbox gets a
 *     user namespace that maps the caller (root) to uid 0 inside with every capability dropped, as on
 *     the user-namespace path, instead of a job identity of its own
 */
public record Containment(int seccompFd, boolean disableUserns, long tmpBytes, Optional<JobIdentity> job,
    int nproc, boolean mapCaller) {
  /** No filter; /tmp of the default size. */
  public static final Containment NONE = new Containment(-1, false, ResourceLimits.DEFAULT_TMP_BYTES);

  public Containment {
    if (tmpBytes <= 0) {
      throw new IllegalArgumentException("tmpBytes must be positive");
    }
    Objects.requireNonNull(job, "job");
    if (nproc < 0) {
      throw new IllegalArgumentException("nproc must not be negative");
    }
    if (mapCaller && job.isPresent()) {
      throw new IllegalArgumentException("a sandbox that maps the caller in has no job identity of its own");
    }
  }

  /** Without mapping the caller in. */
  public Containment(int seccompFd, boolean disableUserns, long tmpBytes, Optional<JobIdentity> job, int nproc) {
    this(seccompFd, disableUserns, tmpBytes, job, nproc, false);
  }

  /** Without an rlimit. */
  public Containment(int seccompFd, boolean disableUserns, long tmpBytes, Optional<JobIdentity> job) {
    this(seccompFd, disableUserns, tmpBytes, job, 0, false);
  }

  /** The workload runs as the agent. */
  public Containment(int seccompFd, boolean disableUserns, long tmpBytes) {
    this(seccompFd, disableUserns, tmpBytes, Optional.empty());
  }

  /**
   * Root host: the agent keeps uid 0 with only the capabilities it needs to start and end jobs
   * (setuid, setgid, setpcap to empty a job's bounding set, kill to end a job of another uid), and
   * starts every job as {@code uid}/{@code gid} without groups, capabilities or new privileges. The
   * workload then cannot signal, trace or read the agent, nor enter the rendezvous folder (root's,
   * 0700).
   */
  public record JobIdentity(long uid, long gid) {
    public JobIdentity {
      if (uid <= 0 || gid <= 0) {
        throw new IllegalArgumentException("a job identity is never root: " + uid + ":" + gid);
      }
    }

    /** The value of {@link BwrapCommand#JOB_USER_ENV}: {@code UID:GID}. */
    public String envValue() {
      return uid + ":" + gid;
    }
  }
}
