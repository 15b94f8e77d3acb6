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
 * @param nonceFd the descriptor bwrap copies the nonce from into the rendezvous folder, which is then a
 *     small tmpfs of the sandbox's own ({@code --size} {@link #RENDEZVOUS_BYTES}, {@code --file FD}; the
 *     launcher opens the host's nonce file there, {@link LaunchWrapper}) instead of a bind of a host
 *     folder: the workload cannot fill the host's disk through it, nor leave anything in it for a later
 *     run, and the host reads it through {@code /proc/<sandbox init>/root}; -1: the host folder is
 *     bound (training sandboxes)
 */
public record Containment(int seccompFd, boolean disableUserns, long tmpBytes, Optional<JobIdentity> job,
    int nproc, boolean mapCaller, int nonceFd) {
  /**
   * The size of the rendezvous tmpfs: the agent's socket takes no blocks, the nonce and
   * rendezvous.txt one page each; the rest is what a workload sharing the agent's uid (non-root host)
   * can fill, in the sandbox's own memory (counted by its memory limit), never the host's disk.
   */
  public static final long RENDEZVOUS_BYTES = 64 * 1024;

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
    if (nonceFd >= 0 && nonceFd == seccompFd) {
      throw new IllegalArgumentException("the nonce and the seccomp filter need descriptors of their own");
    }
  }

  /** The rendezvous folder bound from the host. */
  public Containment(int seccompFd, boolean disableUserns, long tmpBytes, Optional<JobIdentity> job, int nproc,
      boolean mapCaller) {
    this(seccompFd, disableUserns, tmpBytes, job, nproc, mapCaller, -1);
  }

  /** Whether the rendezvous folder is the sandbox's own tmpfs ({@link #nonceFd} set). */
  public boolean rendezvousInside() {
    return nonceFd >= 0;
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
