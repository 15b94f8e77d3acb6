package dev.sandboxkit.lifecycle.internal.vm.bubblewrap;

import dev.sandboxkit.lifecycle.internal.vm.DriverSpi;
import dev.sandboxkit.lifecycle.internal.vm.GuestPlatform;
import dev.sandboxkit.auth.NonceFile;
import dev.sandboxkit.lifecycle.FailurePhase;
import dev.sandboxkit.lifecycle.NetworkAccess;
import dev.sandboxkit.lifecycle.PrepareResult;
import dev.sandboxkit.lifecycle.SandboxException;
import dev.sandboxkit.lifecycle.SandboxPolicy;
import dev.sandboxkit.lifecycle.internal.controlplane.HostSlot;
import dev.sandboxkit.lifecycle.internal.controlplane.JdkProcessProbe;
import dev.sandboxkit.lifecycle.internal.policy.DriverCapabilities;
import dev.sandboxkit.lifecycle.internal.policy.MountOp;
import dev.sandboxkit.lifecycle.internal.policy.PolicyPlan;
import dev.sandboxkit.lifecycle.internal.policy.PolicyPlanner;
import dev.sandboxkit.lifecycle.internal.policy.SandboxWriters;
import dev.sandboxkit.lifecycle.internal.policy.SystemView;
import dev.sandboxkit.lifecycle.internal.policy.WritableCheck;
import dev.sandboxkit.lifecycle.internal.seccomp.SeccompArch;
import dev.sandboxkit.lifecycle.internal.startup.GuestArchive;
import dev.sandboxkit.lifecycle.internal.startup.StartUp;
import dev.sandboxkit.lifecycle.internal.seccomp.SeccompFilter;
import dev.sandboxkit.lifecycle.internal.teardown.MarkerStore;
import dev.sandboxkit.lifecycle.internal.teardown.ReconcileResult;
import dev.sandboxkit.lifecycle.internal.teardown.Reconciler;
import dev.sandboxkit.lifecycle.internal.teardown.SandboxKiller;
import dev.sandboxkit.lifecycle.internal.vm.GuestJar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Linux driver: one {@code bwrap} sandbox per run (no singleton, parallel runs allowed), the
 * guest agent on the host's own Java runtime, reached over a Unix socket in the rendezvous folder.
 */
public final class BubblewrapDriver implements DriverSpi {
  public static final String NAME = "bubblewrap";
  /** The logger, created on first use: the launch path never starts the logging backend. */
  private static final class Log {
    static final System.Logger LOG = System.getLogger(BubblewrapDriver.class.getName());
  }
  /**
   * The uid of class-data training sandboxes when the host runs as root ({@code nobody}); a run's
   * workload gets a uid of its own ({@link SandboxUids}).
   */
  public static final long SANDBOX_UID = SandboxOwnership.UID;
  /** The group of every workload on a root host ({@code nogroup}): grant read-write folders to it. */
  public static final long SANDBOX_GID = SandboxOwnership.GID;
  /**
   * The uid read-write folders are checked against on a root host: any run's uid, owning nothing
   * (just past the range, never given to a run).
   */
  static final long PROBE_UID = SandboxUids.BASE + SandboxUids.COUNT;
  static final String INSTALL_HINT =
      "install bubblewrap: sudo apt-get install bubblewrap (Debian/Ubuntu) or sudo dnf install bubblewrap"
          + " (Fedora/RHEL)";

  static final String UNKNOWN_UID_FIX = "the bubblewrap driver picks the workload's identity from it"
      + " (root: a uid of its own per sandbox through setpriv; otherwise a user namespace): run on Linux with /proc mounted";

  private final boolean root;
  /** False when this process's uid could not be measured (HostFacts.root): the driver then refuses. */
  private final boolean identityKnown;
  /** The start-up speed-ups this driver's runs use (the guest's class-data archive). */
  private final StartUp startUp;
  private final SandboxUids uids = SandboxUids.host();

  public BubblewrapDriver() {
    this(HostFacts.root(), StartUp.fromEnvironment());
  }

  BubblewrapDriver(boolean root) {
    this(Optional.of(root), StartUp.fromEnvironment());
  }

  /** Tests: another archive folder or trainer. */
  BubblewrapDriver(boolean root, GuestArchive archive) {
    this(Optional.of(root), new StartUp(archive));
  }

  BubblewrapDriver(Optional<Boolean> root, StartUp startUp) {
    this.root = root.orElse(false);
    this.identityKnown = root.isPresent();
    this.startUp = startUp;
  }

  @Override
  public String name() {
    return NAME;
  }

  boolean root() {
    return root;
  }

  @Override
  public List<Check> prerequisites() {
    List<Check> checks = new ArrayList<>();
    boolean linux = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux");
    checks.add(new Check("Linux host", linux, System.getProperty("os.name"),
        linux ? "" : "the bubblewrap driver needs Linux; use --driver windows-sandbox on Windows"));
    Optional<Path> bwrap = HostFacts.findExecutable("bwrap");
    checks.add(new Check("bwrap installed", bwrap.isPresent(),
        bwrap.map(Path::toString).orElse("bwrap not found in /usr/bin, /bin, /usr/local/bin or PATH"),
        bwrap.isPresent() ? "" : INSTALL_HINT));
    if (!identityKnown) {
      checks.add(new Check("process identity", false, HostFacts.UNKNOWN_UID, UNKNOWN_UID_FIX));
    } else if (root) {
      Optional<Path> setpriv = HostFacts.findExecutable("setpriv");
      checks.add(new Check("setpriv installed (root host: each sandbox's workload runs as a uid of its own)",
          setpriv.isPresent(), setpriv.map(Path::toString).orElse("setpriv not found"),
          setpriv.isPresent() ? "" : "install util-linux (apt-get install util-linux)"));
    } else {
      // A real tiny bwrap with a run's namespaces; a failure is explained (UsernsDiagnosis).
      Optional<String> failed = bwrap.isPresent() ? UsernsDiagnosis.probe(bwrap.get()) : Optional.of("bwrap not found");
      if (failed.isEmpty()) {
        checks.add(new Check("user namespaces usable", true, "a test sandbox started (unprivileged user namespaces)", ""));
      } else if (bwrap.isEmpty()) {
        checks.add(new Check("user namespaces usable", false, "not checked: bwrap is not installed", INSTALL_HINT));
      } else {
        UsernsDiagnosis.Cause c = UsernsDiagnosis.classify(failed.get(), UsernsDiagnosis.Facts.read());
        checks.add(new Check("user namespaces usable", false, c.detail(), c.fix()));
      }
    }
    // always ok: a run without limits works; a limit this host cannot enforce is refused at run time
    checks.add(new Check("resource limits this host can enforce", true, LimitSupport.probe(root).describe(), ""));
    try {
      Path jh = HostFacts.javaHome();
      boolean ok = Files.isExecutable(jh.resolve("bin/java"));
      checks.add(new Check("Java runtime to map", ok, JdkScan.describe(jh, JdkScan.under(Path.of("/usr/lib/jvm"))),
          ok ? "" : "run sandboxkit on a full JRE/JDK 17+"));
    } catch (IOException e) {
      checks.add(new Check("Java runtime to map", false, e.getMessage(), "run sandboxkit on a full JRE/JDK 17+"));
    }
    try {
      Path jar = GuestJar.locate();
      checks.add(new Check("guest agent jar", true, jar.toString(), ""));
    } catch (SandboxException e) {
      checks.add(new Check("guest agent jar", false, e.getMessage(), e.detail()));
    }
    return checks;
  }

  @Override
  public PolicyPlan checkEnforceable(SandboxPolicy policy) throws SandboxException {
    if (HostFacts.findExecutable("bwrap").isEmpty()) {
      throw new SandboxException(FailurePhase.REJECTED, "bubblewrap (bwrap) is not installed", INSTALL_HINT);
    }
    if (!identityKnown) {
      throw new SandboxException(FailurePhase.REJECTED, HostFacts.UNKNOWN_UID, UNKNOWN_UID_FIX);
    }
    if (root && HostFacts.findExecutable("setpriv").isEmpty()) {
      throw new SandboxException(FailurePhase.REJECTED,
          "setpriv is not installed; as root the bubblewrap driver needs it to start the workload as a uid of its"
              + " own", "install util-linux (apt-get install util-linux)");
    }
    SeccompFile.requireArch(SeccompArch.current());
    boolean asOwner = root && policy.writeAsOwner();
    PolicyPlan plan = planner(asOwner).plan(policy);
    LimitSupport support = LimitSupport.probe(root);
    Optional<String> limits = support.cannotEnforce(plan.limits());
    if (limits.isPresent()) {
      throw new SandboxException(FailurePhase.REJECTED, limits.get(), support.layout().why());
    }
    plan.notes().forEach(n -> Log.LOG.log(System.Logger.Level.INFO, n)); // paths only, never secrets
    if (asOwner) {
      OwnerWrites.requireSafe(plan);
      WritableCheck.requireWritable(plan, 0, 0, NAME, WritableCheck.MODE_BITS_ONLY);
    } else if (root) {
      WritableCheck.requireGroupWritable(plan, PROBE_UID, SANDBOX_GID, NAME, WritableCheck.SETPRIV_PROBE);
    }
    return plan;
  }

  /**
   * Start-up work for a run that is about to come, done on another thread while the caller is busy
   * (the CLI parses its arguments meanwhile, startup.Prestart): runs the checks' and prepare's code
   * once on inputs of its own (the walk of the runtime's links inside the planner included) (the executable lookups, the default policy's plan, the guest jar lookup,
   * the command builder, the archive key), so that their classes are loaded, linked and initialised
   * before the run needs them. Reads only: it creates, changes and starts nothing, and a run's
   * results and errors are its own (it redoes every check itself). Never throws.
   */
  @Override
  public void warmUp() {
    try {
      Optional<Path> bwrap = HostFacts.findExecutable("bwrap");
      if (root) {
        HostFacts.findExecutable("setpriv");
      }
      Path javaHome = HostFacts.javaHome();
      PolicyPlan plan = planner(false).plan(SandboxPolicy.DEFAULT);
      WritableCheck.requireGroupWritable(plan, PROBE_UID, SANDBOX_GID, NAME, WritableCheck.MODE_BITS_ONLY);
      BwrapCommand.HostLayout layout = HostFacts.layout();
      BwrapCommand.Spec spec = new BwrapCommand.Spec(bwrap.orElse(Path.of("/usr/bin/bwrap")), root, SANDBOX_UID,
          SANDBOX_GID, javaHome, List.of(), GuestJar.locate(), javaHome.resolve("rendezvous"), plan.mounts(),
          plan.network());
      BwrapCommand.build(spec.withCds(startUp.warmUp(new BwrapGuest(spec, layout))), layout);
      if (root) {
        try (var s = Files.list(javaHome)) { // as SandboxOwnership.hand lists the rendezvous folder
          s.iterator().hasNext();
        }
      }
    } catch (IOException | SandboxException | RuntimeException e) {
      // only a lost head start: the run does, and reports, all of it itself
    }
  }

  @Override
  public HostSlot hostSlot() {
    return HostSlot.NONE;
  }

  @Override
  public SandboxKiller killer() {
    return new BwrapKiller();
  }

  @Override
  public ReconcileResult reconcile(MarkerStore store, boolean forceReclaim) {
    return new Reconciler(store, killer(), JdkProcessProbe.INSTANCE).reconcileIndependent();
  }

  @Override
  public Instance prepare(Launch launch) throws SandboxException {
    Path bwrap = HostFacts.findExecutable("bwrap").orElseThrow(
        () -> new SandboxException(FailurePhase.REJECTED, "bubblewrap (bwrap) is not installed", INSTALL_HINT));
    Path javaHome;
    try {
      javaHome = launch.javaHome().toRealPath();
    } catch (IOException e) {
      throw new SandboxException(FailurePhase.LAUNCH_FAILED,
          "the Java runtime " + launch.javaHome() + " cannot be resolved", e.getMessage(), e);
    }
    BwrapCommand.Spec spec = new BwrapCommand.Spec(bwrap, root, SANDBOX_UID, SANDBOX_GID, javaHome,
        HostFacts.javaExtraRoots(javaHome), launch.guestJar(), launch.rendezvousDir(),
        launch.plan().mounts(), launch.plan().network());
    checkStateRoot(launch);
    spec = spec.withEmptyFile(emptyFile(launch));
    BwrapCommand.HostLayout layout = HostFacts.layout();
    // The guest's class-data archive; the first run for a new guest jar or runtime trains it. Never fails.
    // The caller's cacheDir(..) / classDataArchives(..) win over the properties and the environment.
    StartUp run = startUp.configured(launch.cacheDir(), launch.classDataArchives());
    spec = spec.withCds(run.archiveFor(new BwrapGuest(spec, layout), launch.archiveEvents()));
    Path filter = SeccompFile.write(launch.runDir(), SeccompFile.requireArch(SeccompArch.current()),
        new SeccompFilter.Rules(true));
    // Root host: the workload gets a uid of its own for this sandbox; the agent keeps uid 0, and the
    // rendezvous folder stays root's (0700): the workload can neither enter nor replace it.
    boolean asOwner = root && launch.plan().writeAsOwner(); // root mapped in, no capabilities (OwnerWrites)
    Optional<SandboxUids.Lease> uid = root && !asOwner ? Optional.of(uids.acquire(launch.runDir())) : Optional.empty();
    try {
      LimitSupport support = LimitSupport.probe(root);
      spec = spec.withContainment(new Containment(SeccompFile.FD, !root && HostFacts.bwrapHasDisableUserns(bwrap),
          launch.plan().limits().tmpBytes(), uid.map(l -> new Containment.JobIdentity(l.uid(), SANDBOX_GID)),
          support.nproc(launch.plan().limits()), asOwner, LaunchWrapper.NONCE_FD));
      Optional<RunCgroup> cgroup = RunCgroup.create(support.layout(), launch.runId().toString(),
          support.cgroupPart(launch.plan().limits()));
      List<String> command = LaunchWrapper.wrap(BwrapCommand.build(spec, layout), filter,
          launch.rendezvousDir().resolve(NonceFile.FILE_NAME), cgroup.map(RunCgroup::procsFiles).orElse(List.of()));
      return new BubblewrapInstance(command, launch.runDir(), cgroup, uid, true);
    } catch (SandboxException | RuntimeException e) {
      uid.ifPresent(SandboxUids.Lease::close);
      throw e;
    }
  }

  /**
   * Builds the guest's class-data archive for this guest jar and runtime when it is missing (in a
   * training sandbox of its own, as a first start would).
   * Refuses, as a start would, when bwrap is missing or this process's identity is unknown.
   */
  @Override
  public PrepareResult prepareAhead(Ahead ahead) throws SandboxException {
    Path bwrap = HostFacts.findExecutable("bwrap").orElseThrow(
        () -> new SandboxException(FailurePhase.REJECTED, "bubblewrap (bwrap) is not installed", INSTALL_HINT));
    if (!identityKnown) {
      throw new SandboxException(FailurePhase.REJECTED, HostFacts.UNKNOWN_UID, UNKNOWN_UID_FIX);
    }
    Path javaHome;
    try {
      javaHome = ahead.javaHome().toRealPath();
    } catch (IOException e) {
      throw new SandboxException(FailurePhase.REJECTED,
          "the Java runtime " + ahead.javaHome() + " cannot be resolved", e.getMessage(), e);
    }
    // The training replaces the rendezvous folder, mounts and network of this template.
    BwrapCommand.Spec spec = new BwrapCommand.Spec(bwrap, root, SANDBOX_UID, SANDBOX_GID, javaHome,
        HostFacts.javaExtraRoots(javaHome), ahead.guestJar(), javaHome, List.of(), NetworkAccess.BLOCK);
    return startUp.configured(ahead.cacheDir(), ahead.classDataArchives())
        .prepare(new BwrapGuest(spec, HostFacts.layout()), ahead.events());
  }

  /**
   * The planner with this host's view: what the sandbox shows of the host by itself (/usr, the
   * system dirs, the /etc allow list), the Java runtime the guest needs, the reserved paths (the
   * default state root included), and who counts as a sandbox for the planted-link rule (root host:
   * uid/gid {@value #SANDBOX_UID}; otherwise the calling user, whom the workload runs as).
   */
  PolicyPlanner planner() throws SandboxException {
    return planner(false);
  }

  /** {@code asOwner}: the workload writes as root (write-as-owner), so whatever root can write counts. */
  PolicyPlanner planner(boolean asOwner) throws SandboxException {
    BwrapCommand.HostLayout layout = HostFacts.layout();
    List<SystemView.Exposed> exposed = new ArrayList<>();
    List<String> shown = new ArrayList<>(List.of("/usr"));
    layout.systemDirs().forEach((dir, link) -> {
      if (link.isEmpty()) {
        shown.add(dir);
      }
    });
    shown.addAll(layout.etc());
    for (String p : shown) {
      try {
        Path real = Path.of(p).toRealPath();
        exposed.add(new SystemView.Exposed(Path.of(p), real, Files.isDirectory(real)));
      } catch (IOException e) {
        // not on this host: nothing shown
      }
    }
    List<SystemView.Needed> needed = new ArrayList<>();
    try {
      Path javaHome = HostFacts.javaHome().toRealPath();
      needed.add(new SystemView.Needed(javaHome, "the Java runtime"));
      for (Path extra : HostFacts.javaExtraRoots(javaHome)) {
        needed.add(new SystemView.Needed(extra, "configuration of the Java runtime"));
      }
    } catch (IOException e) {
      throw new SandboxException(FailurePhase.REJECTED, "the Java runtime cannot be resolved", e.getMessage(), e);
    }
    Path state = MarkerStore.defaultRoot().getParent();
    List<DriverCapabilities.Reserved> extra = List.of(new DriverCapabilities.Reserved(state,
        DriverCapabilities.Extent.OVERLAP, "it is sandboxkit's state folder (run folders, nonces)"));
    SandboxWriters writers = asOwner ? SandboxWriters.currentUser(0) : root
        ? SandboxWriters.byIds(uid -> uid == SANDBOX_UID || SandboxUids.inRange(uid), gid -> gid == SANDBOX_GID)
        : SandboxWriters.currentUser(HostFacts.effectiveUid().orElse(-1));
    return new PolicyPlanner(DriverCapabilities.bubblewrap(extra, new SystemView(exposed, needed)), writers);
  }

  /** The run's actual state root (a caller may choose another than the default) is never mounted. */
  private static void checkStateRoot(Launch launch) throws SandboxException {
    Path state = launch.runDir().toAbsolutePath().getParent();
    for (MountOp op : launch.plan().mounts()) {
      if (op instanceof MountOp.Bind b && (state.startsWith(b.path()) || b.path().startsWith(state))) {
        throw new SandboxException(FailurePhase.REJECTED,
            "The request's policy cannot be enforced by the " + NAME + " driver.",
            "mapped path \"" + b.path() + "\" overlaps sandboxkit's state folder " + state
                + " (run folders, nonces); map another folder");
      }
    }
  }

  /** An empty read-only file in the run folder, bound over each denied file; none when no file is denied. */
  private static Optional<Path> emptyFile(Launch launch) throws SandboxException {
    if (launch.plan().mounts().stream().noneMatch(m -> m instanceof MountOp.MaskFile)) {
      return Optional.empty();
    }
    try {
      Path empty = launch.runDir().resolve("empty");
      Files.deleteIfExists(empty);
      Files.createFile(empty);
      Files.setPosixFilePermissions(empty, java.nio.file.attribute.PosixFilePermissions.fromString("r--r--r--"));
      return Optional.of(empty);
    } catch (IOException e) {
      throw new SandboxException(FailurePhase.LAUNCH_FAILED, "cannot create the empty file that hides denied files",
          e.getMessage(), e);
    }
  }

  @Override
  public GuestPlatform platform() {
    return GuestPlatform.POSIX;
  }

  @Override
  public Transport transport() {
    return Transport.UNIX;
  }

  /** ProcessHandle probes are cheap: poll every 20 ms. */
  @Override
  public java.time.Duration teardownPoll() {
    return java.time.Duration.ofMillis(20);
  }
}
