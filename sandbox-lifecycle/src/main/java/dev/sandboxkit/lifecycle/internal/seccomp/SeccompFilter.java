package dev.sandboxkit.lifecycle.internal.seccomp;

import java.util.List;

/**
 * The sandbox's default seccomp filter, as the classic-BPF program bwrap loads with
 * {@code --seccomp FD} (it applies to everything the sandbox runs: setpriv, the guest agent and the
 * workload).
 *
 * <p>Denied with {@code EPERM} (a clear failure in the workload, never a kill):
 * {@link #DENIED} — the keyring calls (keys are per uid, not per sandbox), {@code io_uring_*},
 * {@code bpf}, {@code perf_event_open}, {@code userfaultfd}, {@code kexec_*}; creating a user
 * namespace ({@code clone}/{@code unshare} with {@code CLONE_NEWUSER}); the terminal-injection
 * ioctls {@code TIOCSTI} and {@code TIOCLINUX}; and, with {@link Rules#denyPtrace()}, {@code ptrace}.
 * {@code clone3} answers {@code ENOSYS}: its flags live in memory a filter cannot read, and ENOSYS
 * makes the C library fall back to {@code clone}, whose flags it can (as Flatpak and Docker do).
 *
 * <p>Killed: a call from another architecture than the filter's (a 32-bit {@code int 0x80} call on
 * x86_64) and x86_64's x32 ABI — their numbers are other tables that this filter does not vet, so
 * they are not allowed through at all.
 *
 * <p>Why a generator in Java rather than libseccomp through JNA: the program is about forty
 * instructions, fixed, and needs only loads, compares and returns; building it here is a pure
 * function that is unit-tested byte for byte and run through an interpreter in the tests, needs no
 * native library on the host (libseccomp2 is not installed everywhere bwrap is, and a missing
 * library would have to fail closed), and adds no native call to the run's start-up path. The
 * guest agent needs none of the denied calls (the JVM spawns with {@code clone}/{@code vfork} and
 * falls back from {@code clone3}; it uses no keyrings, io_uring, bpf, userfaultfd or perf events).
 */
public final class SeccompFilter {
  /** Denied unconditionally with EPERM. */
  public static final List<String> DENIED = List.of(
      "keyctl", "add_key", "request_key", "io_uring_setup", "io_uring_enter", "io_uring_register", "bpf",
      "perf_event_open", "userfaultfd", "kexec_load", "kexec_file_load");
  public static final int CLONE_NEWUSER = 0x10000000;
  public static final int TIOCSTI = 0x5412;
  public static final int TIOCLINUX = 0x541C;
  public static final int EPERM = 1;
  public static final int ENOSYS = 38;
  static final int RET_ALLOW = 0x7fff0000;
  static final int RET_ERRNO = 0x00050000;
  static final int RET_KILL_PROCESS = 0x80000000;
  /** Offsets in {@code struct seccomp_data}: nr, arch, then args[i] at 16 + 8i (low word first). */
  static final int OFF_NR = 0;
  static final int OFF_ARCH = 4;

  private SeccompFilter() {}

  /**
   * What varies per host.
   *
   * @param denyPtrace deny {@code ptrace} too: where the agent and the workload share a uid (the
   *     unprivileged, user-namespace path), so that nothing reaches the agent even should its
   *     non-dumpable flag be lost; where they run as different uids ptrace stays usable for
   *     debugging the workload's own processes
   */
  public record Rules(boolean denyPtrace) {}

  static int argLow(int i) {
    return 16 + 8 * i;
  }

  /** The program for {@code arch}. */
  public static byte[] build(SeccompArch arch, Rules rules) {
    Bpf p = new Bpf();
    p.load(OFF_ARCH).jne(arch.auditArch(), "kill");
    p.load(OFF_NR);
    if (arch.hasX32()) {
      p.jset(SeccompArch.X32_SYSCALL_BIT, "kill");
    }
    for (String name : DENIED) {
      p.jeq(arch.number(name), "eperm");
    }
    if (rules.denyPtrace()) {
      p.jeq(arch.number("ptrace"), "eperm");
    }
    p.jeq(arch.number("clone3"), "enosys");
    p.jeq(arch.number("clone"), "flags");
    p.jeq(arch.number("unshare"), "flags");
    p.jeq(arch.number("ioctl"), "ioctl");
    p.ret(RET_ALLOW);
    p.label("flags").load(argLow(0)).jset(CLONE_NEWUSER, "eperm").ret(RET_ALLOW);
    // the kernel reads an ioctl's request as an unsigned int: the low word is the whole of it
    p.label("ioctl").load(argLow(1)).jeq(TIOCSTI, "eperm").jeq(TIOCLINUX, "eperm").ret(RET_ALLOW);
    p.label("eperm").ret(RET_ERRNO | EPERM);
    p.label("enosys").ret(RET_ERRNO | ENOSYS);
    p.label("kill").ret(RET_KILL_PROCESS);
    return p.assemble();
  }
}
