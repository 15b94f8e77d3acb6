package dev.sandboxkit.lifecycle.internal.vm.bubblewrap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Why bwrap cannot create the user namespace a non-root run needs (issue 15.4): doctor runs a real
 * tiny bwrap with the namespaces a run uses, and when it fails, {@link #classify} names the cause
 * from bwrap's own message and the host's knobs, with the fix.
 *
 * <p>bwrap's messages (bubblewrap's source; ENOSPC also reproduced here, inside a user namespace
 * whose {@code max_user_namespaces} was 0): EPERM from clone "No permissions to creating new
 * namespace, likely because the kernel does not allow non-privileged user namespaces. ...", ENOSPC
 * "Creating new namespace failed: nesting depth or /proc/sys/user/max_*_namespaces exceeded (ENOSPC)",
 * EINVAL "Creating new namespace failed, likely because the kernel does not support user namespaces.
 * ...", AppArmor's restriction (the namespace is created, but without capabilities in it) "setting up
 * uid map: Permission denied" or "loopback: Failed RTM_NEWADDR: Operation not permitted", and a
 * container's masked {@code /proc} "Can't mount proc on /newroot/proc: Operation not permitted".
 * {@code --unshare-all} skips the user namespace when the kernel knobs say it is off, and then the
 * other namespaces fail with EPERM, so the knobs are read too.
 */
final class UsernsDiagnosis {
  private UsernsDiagnosis() {}

  /** What the host says about user namespaces; null/empty where it does not say. */
  record Facts(String unprivilegedUsernsClone, String maxUserNamespaces, String apparmorRestrict,
      boolean inContainer, int seccompMode) {
    /** Read from /proc and the usual container markers. */
    static Facts read() {
      return new Facts(knob("/proc/sys/kernel/unprivileged_userns_clone"), knob("/proc/sys/user/max_user_namespaces"),
          knob("/proc/sys/kernel/apparmor_restrict_unprivileged_userns"), UsernsDiagnosis.inContainer(),
          UsernsDiagnosis.seccompMode());
    }
  }

  /** The cause and its fix (one line each). */
  record Cause(String kind, String detail, String fix) {}

  static final String APPARMOR_FIX = "Ubuntu 23.10+ restricts unprivileged user namespaces through AppArmor."
      + " Either allow them for bwrap only, with a profile: write /etc/apparmor.d/bwrap containing"
      + " 'abi <abi/4.0>, include <tunables/global> profile bwrap /usr/bin/bwrap flags=(unconfined) { userns,"
      + " include if exists <local/bwrap> }' and run 'sudo apparmor_parser -r /etc/apparmor.d/bwrap';"
      + " or lift the restriction for the whole host: 'sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0'"
      + " (keep it with a file in /etc/sysctl.d/)";
  static final String MAX_FIX = "allow user namespaces: 'sudo sysctl -w user.max_user_namespaces=15000'"
      + " (keep it with a file in /etc/sysctl.d/)";
  static final String CLONE_FIX = "allow unprivileged user namespaces: 'sudo sysctl -w kernel.unprivileged_userns_clone=1'"
      + " (keep it with a file in /etc/sysctl.d/)";
  static final String SECCOMP_FIX = "a seccomp filter on this process (a container runtime's default profile)"
      + " blocks creating namespaces: run the container with a profile that allows unshare/clone with"
      + " CLONE_NEWUSER (e.g. docker/podman run --security-opt seccomp=unconfined), or run sandboxkit outside it";
  static final String CONTAINER_FIX = "this container does not allow user namespaces or mounting /proc:"
      + " run it with them allowed (e.g. docker/podman run --security-opt seccomp=unconfined --security-opt"
      + " apparmor=unconfined, or --privileged), or run sandboxkit on the host";
  static final String KERNEL_FIX = "this kernel has no user namespaces (CONFIG_USER_NS): use a kernel with them,"
      + " or run sandboxkit as root (then bwrap needs none: the workload runs as uid 65534)";

  /** The cause of a failed tiny bwrap ({@code message}: what it printed, {@code facts}: the host). */
  static Cause classify(String message, Facts f) {
    String m = message == null ? "" : message;
    if ("1".equals(f.apparmorRestrict()) && (m.contains("setting up uid map") || m.contains("RTM_NEWADDR")
        || m.contains("Permission denied") || m.contains("Operation not permitted"))) {
      return new Cause("apparmor", "kernel.apparmor_restrict_unprivileged_userns = 1: " + m, APPARMOR_FIX);
    }
    if (m.contains("(ENOSPC)") || "0".equals(f.maxUserNamespaces())) {
      return new Cause("max_user_namespaces", "user.max_user_namespaces = " + f.maxUserNamespaces() + ": " + m,
          MAX_FIX);
    }
    if ("0".equals(f.unprivilegedUsernsClone())) {
      return new Cause("unprivileged_userns_clone", "kernel.unprivileged_userns_clone = 0: " + m, CLONE_FIX);
    }
    if (m.contains("does not support user namespaces")) {
      return new Cause("kernel", m, KERNEL_FIX);
    }
    if (m.contains("No permissions to creating new namespace") || m.contains("Creating new namespace failed")
        || m.contains("Operation not permitted") || m.contains("Permission denied")) {
      if (f.seccompMode() == 2) {
        return new Cause("seccomp", "a seccomp filter is active (Seccomp: 2): " + m, SECCOMP_FIX);
      }
      if (f.inContainer()) {
        return new Cause("container", "inside a container: " + m, CONTAINER_FIX);
      }
    }
    return new Cause("unknown", m.isEmpty() ? "bwrap failed without a message" : m,
        "see bwrap's message; './sandboxkit doctor -v' and 'bwrap --unshare-all --ro-bind / / true' show more");
  }

  /** The tiny bwrap: the namespaces and mounts a run uses, running {@code true}. */
  static List<String> probeCommand(Path bwrap) {
    return List.of(bwrap.toString(), "--unshare-all", "--die-with-parent", "--ro-bind", "/", "/", "--proc", "/proc",
        "--dev", "/dev", "true");
  }

  /** Runs the tiny bwrap (10 s at most); empty when it worked, else what it printed (or why it could not run). */
  static Optional<String> probe(Path bwrap) {
    Path out = null;
    Process p = null;
    try {
      out = Files.createTempFile("sandboxkit-userns", ".log");
      p = new ProcessBuilder(probeCommand(bwrap)).redirectErrorStream(true)
          .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .start();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        return Optional.of("bwrap did not finish within 10 s");
      }
      String text = new String(Files.readAllBytes(out), StandardCharsets.UTF_8).strip();
      return p.exitValue() == 0 ? Optional.empty()
          : Optional.of(text.isEmpty() ? "bwrap exited with status " + p.exitValue() : text);
    } catch (IOException e) {
      return Optional.of("cannot run " + bwrap + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted");
    } finally {
      if (p != null) {
        CloneOrphans.killSandbox(p, probeCommand(bwrap));
      }
      if (out != null) {
        try {
          Files.deleteIfExists(out);
        } catch (IOException e) {
          // an empty temp file at worst
        }
      }
    }
  }

  private static String knob(String path) {
    try {
      return Files.readString(Path.of(path)).strip();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  static boolean inContainer() {
    if (Files.exists(Path.of("/.dockerenv")) || Files.exists(Path.of("/run/.containerenv"))) {
      return true;
    }
    try {
      String cgroup = Files.readString(Path.of("/proc/1/cgroup"));
      return cgroup.contains("docker") || cgroup.contains("kubepods") || cgroup.contains("lxc")
          || cgroup.contains("containerd") || cgroup.contains("libpod");
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  static int seccompMode() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Seccomp:")) {
          return Integer.parseInt(line.substring(8).strip());
        }
      }
    } catch (IOException | RuntimeException e) {
      // unknown
    }
    return 0;
  }
}
