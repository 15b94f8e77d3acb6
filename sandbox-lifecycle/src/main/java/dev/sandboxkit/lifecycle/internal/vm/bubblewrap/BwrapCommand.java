package dev.sandboxkit.lifecycle.internal.vm.bubblewrap;

import dev.sandboxkit.lifecycle.internal.startup.GuestCds;
import dev.sandboxkit.lifecycle.NetworkAccess;
import dev.sandboxkit.lifecycle.internal.policy.MappedFolder;
import dev.sandboxkit.lifecycle.internal.policy.MountOp;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Builds the {@code bwrap} argument list: a pure function of {@link Spec} and {@link HostLayout}, so
 * the exact command line is unit-tested for root and non-root hosts.
 *
 * <p>Layout inside: read-only /usr, /bin, /sbin, /lib* (symlinks kept as symlinks on merged-/usr
 * hosts), the allow-listed entries of /etc ({@link EtcView}), tmpfs /tmp, fresh /proc and /dev,
 * nothing else of the host except the plan's mounts (same path, shallowest first: binds of mapped
 * folders and files, denied folders as an empty tmpfs made read-only once everything inside it is
 * mounted, denied files as a read-only bind of an empty file) and, under {@code /opt/sandboxkit}, the Java runtime (ro), the guest jar
 * (ro), the rendezvous folder (the sandbox's own small tmpfs with the nonce, {@link Containment#nonceFd}, or a bind of the run's folder for training sandboxes), per {@link GuestCds} the guest's class-data archive (ro)
 * or a training sandbox's dump folder (rw). The guest's JNA unpacks its native library into the tmpfs /tmp.
 */
public final class BwrapCommand {
  public static final String INSIDE_ROOT = GuestCds.INSIDE_ROOT;
  public static final String INSIDE_JAVA = INSIDE_ROOT + "/java";
  public static final String INSIDE_JAR = INSIDE_ROOT + "/sandboxkit-guest.jar";
  public static final String INSIDE_RENDEZVOUS = INSIDE_ROOT + "/rendezvous";
  /** The nonce file in {@link #INSIDE_RENDEZVOUS} (the guest reads and deletes it). */
  static final String INSIDE_NONCE = INSIDE_RENDEZVOUS + "/nonce.bin";
  public static final String SETPRIV = "/usr/bin/setpriv";
  /**
   * The agent's environment variable naming the identity it starts jobs as ({@code UID:GID}; root
   * host, {@link Containment#job()}); the agent removes it from the jobs' environment.
   */
  public static final String JOB_USER_ENV = "SANDBOXKIT_JOB_USER";
  /** The agent's capabilities when jobs run as another uid: what starting and ending them needs. */
  /** What of /proc a sandbox with host root mapped in sees read-only ({@link Containment#mapCaller()}). */
  public static final List<String> PROC_COVERS = List.of("/proc/sys", "/proc/sysrq-trigger", "/proc/irq", "/proc/bus");
  public static final String AGENT_BOUNDING_SET = "-all,+setuid,+setgid,+setpcap,+kill";
  /** System dirs that may be directories or merged-/usr symlinks. */
  public static final List<String> SYSTEM_DIRS = List.of("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32");
  /** The only /etc entries the sandbox sees (each only if present on the host). */
  public static final List<String> ETC_FILES = List.of(
      "/etc/passwd", "/etc/group", "/etc/hosts", "/etc/nsswitch.conf", "/etc/resolv.conf", "/etc/host.conf",
      "/etc/localtime", "/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d");
  /**
   * Guest JVM flags for a fast start with a small footprint (measured with benchmarks/run.sh):
   * {@code -Xms8m} keeps the heap from being committed up front (peak RSS 69 -> 56 MiB); Netty's
   * unpooled allocator skips the pooled arenas' set-up (about 3 MiB and 100-200 ms of the first
   * connection); a 16 MiB code cache is ample for C1 only. Reflection keeps its native accessors
   * ({@code sun.reflect.inflationThreshold}): on Java 17 the 16th call of a reflective method or
   * constructor otherwise generates bytecode for it (~3-5 ms on a cold JVM; the annotation instances
   * Netty's handler checks create reach it during the first connection), and the agent's reflective
   * calls are few.
   */
  public static final List<String> JVM_FLAGS = List.of(
      "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k", "-XX:-UsePerfData", "-Xshare:auto",
      "-Xms8m", "-Xmx64m", "-XX:ReservedCodeCacheSize=16m",
      "-Dio.netty.allocator.type=unpooled", "-Dio.netty.leakDetection.level=disabled",
      "-Dsun.reflect.inflationThreshold=2147483647");

  private BwrapCommand() {}

  /**
   * What differs per host and per run.
   *
   * @param bwrap the bwrap executable
   * @param root whether the host runs as root (privileged mode + setpriv)
   * @param sandboxUid / sandboxGid the unprivileged identity of the workload when root
   * @param javaHome the real path of the host's Java runtime
   * @param javaExtraRoots host dirs outside /usr that the runtime's absolute symlinks point into
   *     (Debian: /etc/java-17-openjdk), bound read-only at the same path
   * @param guestJar the guest jar on the host
   * @param rendezvousDir the run's rendezvous folder on the host
   * @param mounts the plan's mounts, shallowest first ({@code PolicyPlan.mounts()})
   * @param network BLOCK (own network namespace, loopback only) or ALLOW (host network)
   * @param cds the guest's class-data archive: none, use one, dump one (training) or check one
   * @param emptyFile an empty host file, bound read-only over each denied file (needed when the
   *     mounts mask a file)
   */
  public record Spec(
      Path bwrap,
      boolean root,
      long sandboxUid,
      long sandboxGid,
      Path javaHome,
      List<Path> javaExtraRoots,
      Path guestJar,
      Path rendezvousDir,
      List<MountOp> mounts,
      NetworkAccess network,
      GuestCds cds,
      Optional<Path> emptyFile,
      Containment containment) {
    public Spec {
      Objects.requireNonNull(bwrap, "bwrap");
      Objects.requireNonNull(javaHome, "javaHome");
      javaExtraRoots = List.copyOf(javaExtraRoots);
      Objects.requireNonNull(guestJar, "guestJar");
      Objects.requireNonNull(rendezvousDir, "rendezvousDir");
      mounts = List.copyOf(mounts);
      Objects.requireNonNull(network, "network");
      Objects.requireNonNull(cds, "cds");
      Objects.requireNonNull(emptyFile, "emptyFile");
      Objects.requireNonNull(containment, "containment");
    }

    /** The same sandbox with other containment options. */
    public Spec withContainment(Containment other) {
      return new Spec(bwrap, root, sandboxUid, sandboxGid, javaHome, javaExtraRoots, guestJar, rendezvousDir, mounts,
          network, cds, emptyFile, other);
    }

    /** Without an empty file for masks or containment options ({@link Containment#NONE}). */
    public Spec(Path bwrap, boolean root, long sandboxUid, long sandboxGid, Path javaHome, List<Path> javaExtraRoots,
        Path guestJar, Path rendezvousDir, List<MountOp> mounts, NetworkAccess network, GuestCds cds) {
      this(bwrap, root, sandboxUid, sandboxGid, javaHome, javaExtraRoots, guestJar, rendezvousDir, mounts, network,
          cds, Optional.empty(), Containment.NONE);
    }

    /** Without a class-data archive ({@link GuestCds#OFF}). */
    public Spec(Path bwrap, boolean root, long sandboxUid, long sandboxGid, Path javaHome, List<Path> javaExtraRoots,
        Path guestJar, Path rendezvousDir, List<MountOp> mounts, NetworkAccess network) {
      this(bwrap, root, sandboxUid, sandboxGid, javaHome, javaExtraRoots, guestJar, rendezvousDir, mounts, network,
          GuestCds.OFF);
    }

    /** The same sandbox with another archive mode. */
    public Spec withCds(GuestCds other) {
      return new Spec(bwrap, root, sandboxUid, sandboxGid, javaHome, javaExtraRoots, guestJar, rendezvousDir, mounts,
          network, other, emptyFile, containment);
    }

    /** The same sandbox with another rendezvous folder. */
    public Spec withRendezvousDir(Path other) {
      return new Spec(bwrap, root, sandboxUid, sandboxGid, javaHome, javaExtraRoots, guestJar, other, mounts,
          network, cds, emptyFile, containment);
    }

    /** The same sandbox with other mounts. */
    public Spec withMounts(List<MountOp> other) {
      return new Spec(bwrap, root, sandboxUid, sandboxGid, javaHome, javaExtraRoots, guestJar, rendezvousDir, other,
          network, cds, emptyFile, containment);
    }

    /** The same sandbox with another empty file for masks. */
    public Spec withEmptyFile(Optional<Path> other) {
      return new Spec(bwrap, root, sandboxUid, sandboxGid, javaHome, javaExtraRoots, guestJar, rendezvousDir, mounts,
          network, cds, other, containment);
    }

    /** Binds of mapped folders only (tests, benchmarks). */
    public static List<MountOp> binds(List<MappedFolder> folders) {
      return folders.stream().<MountOp>map(m -> new MountOp.Bind(m.hostPath(), m.readOnly(), true)).toList();
    }
  }

  /**
   * The host's system dirs: for each of {@link #SYSTEM_DIRS}, its symlink target when it is a
   * symlink, {@code ""} when it is a real directory; absent when missing. {@code etc}: the /etc
   * entries to bind ({@link EtcView#select}); {@code hidden}: folders inside them to hide (present on
   * the host).
   */
  public record HostLayout(Map<String, String> systemDirs, List<String> etc, List<String> hidden) {
    public HostLayout {
      systemDirs = Map.copyOf(systemDirs);
      etc = List.copyOf(etc);
      hidden = List.copyOf(hidden);
    }

    /** The former fixed /etc list ({@link #ETC_FILES}), nothing hidden. */
    public HostLayout(Map<String, String> systemDirs) {
      this(systemDirs, ETC_FILES, List.of());
    }

    Optional<String> entry(String dir) {
      return Optional.ofNullable(systemDirs.get(dir));
    }
  }

  /** The full command: bwrap, its options, then the guest agent command. */
  public static List<String> build(Spec s, HostLayout layout) {
    List<String> a = new ArrayList<>();
    a.add(s.bwrap().toString());
    boolean privileged = s.root() && !s.containment().mapCaller();
    if (privileged) {
      // Privileged mode: root performs the mounts; no user namespace, so the workload's uid is real
      // and setpriv below drops it to an unprivileged one.
      a.add("--unshare-pid");
      a.add("--unshare-ipc");
      a.add("--unshare-uts");
      a.add("--unshare-cgroup-try");
      if (s.network() == NetworkAccess.BLOCK) {
        a.add("--unshare-net");
      }
    } else {
      a.add("--unshare-all");
      if (s.containment().disableUserns() || s.containment().nproc() > 0 || s.containment().mapCaller()) {
        // --unshare-all only tries a user namespace (--unshare-user-try); --disable-userns needs it
        // explicit, else bwrap refuses ("--disable-userns requires --unshare-user"; the non-root CI
        // pass), and an RLIMIT_NPROC counts per sandbox only inside a namespace of its own.
        a.add("--unshare-user");
      }
      if (s.containment().disableUserns()) {
        a.add("--disable-userns");
      }
      if (s.containment().mapCaller()) {
        // root host, write-as-owner: root is uid 0 inside the namespace, holding no capability at all
        // (bounding set emptied too; bwrap also sets no_new_privs)
        a.addAll(List.of("--uid", "0", "--gid", "0", "--cap-drop", "ALL"));
      }
      if (s.network() == NetworkAccess.ALLOW) {
        a.add("--share-net");
      }
    }
    a.addAll(List.of("--die-with-parent", "--new-session", "--hostname", "sandboxkit"));
    a.addAll(List.of("--clearenv",
        "--setenv", "PATH", "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin",
        "--setenv", "HOME", "/tmp",
        "--setenv", "TMPDIR", "/tmp",
        "--setenv", "LANG", "C.UTF-8"));
    Optional<Containment.JobIdentity> job = privileged ? s.containment().job() : Optional.empty();
    job.ifPresent(j -> a.addAll(List.of("--setenv", JOB_USER_ENV, j.envValue())));
    a.addAll(List.of("--ro-bind", "/usr", "/usr"));
    for (String dir : SYSTEM_DIRS) {
      Optional<String> e = layout.entry(dir);
      if (e.isEmpty()) {
        continue;
      }
      if (e.get().isEmpty()) {
        a.addAll(List.of("--ro-bind", dir, dir));
      } else {
        a.addAll(List.of("--symlink", e.get(), dir));
      }
    }
    a.addAll(List.of("--perms", "0755", "--dir", "/etc"));
    for (String f : layout.etc()) {
      a.addAll(List.of("--ro-bind-try", f, f));
    }
    List<String> remountRo = new ArrayList<>();
    for (String h : layout.hidden()) {
      a.addAll(List.of("--perms", "0700", "--tmpfs", h));
      remountRo.add(h);
    }
    a.addAll(List.of("--symlink", "../proc/self/mounts", EtcView.MTAB));
    a.addAll(List.of("--proc", "/proc", "--dev", "/dev"));
    if (s.containment().mapCaller()) {
      // host root mapped in: the kernel checks sysctls and /proc/sysrq-trigger against the global root
      // uid, not capabilities, so they would be writable (host core_pattern, a reboot). Read-only here,
      // and without CAP_SYS_ADMIN the workload can neither unmount nor remount them.
      for (String p : PROC_COVERS) {
        a.addAll(List.of("--ro-bind-try", p, p));
      }
    }
    a.addAll(List.of("--perms", "1777", "--size", Long.toString(s.containment().tmpBytes()), "--tmpfs", "/tmp"));

    Set<String> made = new LinkedHashSet<>(List.of("/", "/tmp", "/etc"));
    List<Path> mounted = new ArrayList<>();
    for (Path extra : s.javaExtraRoots()) {
      if (layout.etc().stream().anyMatch(e -> extra.startsWith(e))) {
        continue; // already shown by the /etc view (Debian's JDK links into /etc/ssl/certs/java)
      }
      covered(remountRo, extra);
      parents(a, made, mounted, extra);
      a.addAll(List.of("--ro-bind", extra.toString(), extra.toString()));
      mounted.add(extra);
    }
    mounts(a, s, made, mounted, remountRo);
    // Our own binds come last so no mapped folder can cover them.
    parents(a, made, List.of(), Path.of(INSIDE_JAVA));
    a.addAll(List.of("--ro-bind", s.javaHome().toString(), INSIDE_JAVA));
    a.addAll(List.of("--ro-bind", s.guestJar().toString(), INSIDE_JAR));
    if (s.containment().rendezvousInside()) {
      // the sandbox's own small tmpfs (root host: root's, 0700), the nonce copied in from a descriptor
      a.addAll(List.of("--perms", "0700", "--size", Long.toString(Containment.RENDEZVOUS_BYTES),
          "--tmpfs", INSIDE_RENDEZVOUS,
          "--perms", "0600", "--file", Integer.toString(s.containment().nonceFd()), INSIDE_NONCE));
    } else {
      a.addAll(List.of("--bind", s.rendezvousDir().toString(), INSIDE_RENDEZVOUS));
    }
    a.addAll(GuestCds.binds(s.cds()));
    for (String p : remountRo) { // after everything inside the masks is mounted
      a.addAll(List.of("--remount-ro", p));
    }
    if (s.containment().seccompFd() >= 0) {
      a.addAll(List.of("--seccomp", Integer.toString(s.containment().seccompFd())));
    }
    a.addAll(List.of("--chdir", "/tmp"));

    if (job.isPresent()) {
      // The agent keeps uid 0 (root's 0700 rendezvous folder stays its own) with only the
      // capabilities it needs for jobs; every job runs as the job identity (the guest's setpriv).
      a.addAll(List.of(SETPRIV, "--clear-groups", "--inh-caps=-all", "--bounding-set=" + AGENT_BOUNDING_SET,
          "--no-new-privs"));
    } else if (!s.root() && s.containment().nproc() > 0) {
      // the pids limit where no cgroup can be had: counted in this sandbox's user namespace only
      // (set inside it, not on the launcher: LimitSupport)
      a.addAll(List.of(LimitSupport.PRLIMIT, "--nproc=" + s.containment().nproc() + ":" + s.containment().nproc(), "--"));
    } else if (privileged) {
      a.addAll(List.of(SETPRIV,
          "--reuid=" + s.sandboxUid(), "--regid=" + s.sandboxGid(), "--clear-groups",
          "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs"));
    }
    a.add(INSIDE_JAVA + "/bin/java");
    a.addAll(GuestCds.baseFlags(JVM_FLAGS, s.cds()));
    a.addAll(GuestCds.jvmFlags(s.cds()));
    if (s.cds() instanceof GuestCds.Verify) {
      a.addAll(List.of("-jar", INSIDE_JAR, "--version"));
      return a;
    }
    a.addAll(List.of("-jar", INSIDE_JAR,
        "--transport", "unix",
        "--rendezvous", INSIDE_RENDEZVOUS,
        "--network", s.network() == NetworkAccess.ALLOW ? "allow" : "block",
        // bwrap's stdin is a pipe the host holds open for the run: EOF means the host is gone
        "--lifeline", "stdin"));
    return a;
  }

  /**
   * The plan's mounts in its order (shallowest first): binds of folders and files, denied folders as
   * a tmpfs (made read-only at the end, once the mappings that punch through it are mounted), denied
   * files as a read-only bind of the empty file.
   */
  private static void mounts(List<String> a, Spec s, Set<String> made, List<Path> mounted, List<String> remountRo) {
    for (MountOp op : s.mounts()) {
      String p = op.path().toString();
      covered(remountRo, op.path());
      parents(a, made, mounted, op.path());
      if (op instanceof MountOp.Bind b) {
        a.addAll(List.of(b.readOnly() ? "--ro-bind" : "--bind", p, p));
      } else if (op instanceof MountOp.MaskDir) {
        a.addAll(List.of("--perms", "0755", "--tmpfs", p));
        remountRo.add(p);
      } else {
        a.addAll(List.of("--ro-bind", s.emptyFile().orElseThrow(
            () -> new IllegalStateException("a denied file needs Spec.emptyFile")).toString(), p));
      }
      mounted.add(op.path());
    }
  }

  /**
   * A mount at {@code at} covers every pending mask at or below it (a mapping of /etc over the
   * hidden /etc/ssl/private): it is no longer a mount point to make read-only.
   */
  private static void covered(List<String> remountRo, Path at) {
    remountRo.removeIf(p -> Path.of(p).startsWith(at));
  }

  /**
   * Emits {@code --perms 0755 --dir} for each missing ancestor outside the read-only system dirs and
   * outside what is already mounted (a mapped folder's or a mask's inside exists there, or bwrap
   * makes it in the mask's tmpfs).
   */
  private static void parents(List<String> a, Set<String> made, List<Path> mounted, Path target) {
    Path p = target.getParent();
    List<String> chain = new ArrayList<>();
    while (p != null && !made.contains(p.toString())) {
      chain.add(0, p.toString());
      p = p.getParent();
    }
    for (String dir : chain) {
      Path d = Path.of(dir);
      if (isSystem(dir) || mounted.stream().anyMatch(d::startsWith)) {
        made.add(dir);
        continue;
      }
      a.addAll(List.of("--perms", "0755", "--dir", dir));
      made.add(dir);
    }
  }

  private static boolean isSystem(String dir) {
    if (dir.equals("/usr") || dir.startsWith("/usr/")) {
      return true;
    }
    for (String s : SYSTEM_DIRS) {
      if (dir.equals(s) || dir.startsWith(s + "/")) {
        return true;
      }
    }
    return false;
  }
}
