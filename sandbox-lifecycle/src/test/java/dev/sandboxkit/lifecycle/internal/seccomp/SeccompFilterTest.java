package dev.sandboxkit.lifecycle.internal.seccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SeccompFilterTest {
  static final int EPERM = SeccompFilter.RET_ERRNO | SeccompFilter.EPERM;
  static final int ENOSYS = SeccompFilter.RET_ERRNO | SeccompFilter.ENOSYS;
  static final int ALLOW = SeccompFilter.RET_ALLOW;
  static final int KILL = SeccompFilter.RET_KILL_PROCESS;

  static int run(SeccompArch arch, boolean denyPtrace, String call, long... args) {
    byte[] prog = SeccompFilter.build(arch, new SeccompFilter.Rules(denyPtrace));
    return BpfInterpreter.run(prog, arch.auditArch(), arch.number(call), args);
  }

  @ParameterizedTest
  @EnumSource(SeccompArch.class)
  void everyDeniedCallAnswersEperm(SeccompArch arch) {
    for (String call : SeccompFilter.DENIED) {
      assertEquals(EPERM, run(arch, false, call), call);
    }
  }

  @ParameterizedTest
  @EnumSource(SeccompArch.class)
  void newUserNamespacesAreDeniedOtherNamespacesAndThreadsAllowed(SeccompArch arch) {
    assertEquals(EPERM, run(arch, false, "unshare", SeccompFilter.CLONE_NEWUSER));
    assertEquals(EPERM, run(arch, false, "unshare", SeccompFilter.CLONE_NEWUSER | 0x00020000L)); // + NEWNS
    assertEquals(EPERM, run(arch, false, "clone", 0xFFFF_FFFF_0000_0000L | SeccompFilter.CLONE_NEWUSER | 17));
    assertEquals(ALLOW, run(arch, false, "unshare", 0x00020000L)); // CLONE_NEWNS alone: needs caps anyway
    assertEquals(ALLOW, run(arch, false, "clone", 0x003D0F00L)); // glibc's pthread_create flags
    assertEquals(ALLOW, run(arch, false, "clone", 17)); // fork: SIGCHLD
    assertEquals(ENOSYS, run(arch, false, "clone3"));
  }

  @ParameterizedTest
  @EnumSource(SeccompArch.class)
  void terminalInjectionIoctlsAreDeniedEvenWithHighBitsSet(SeccompArch arch) {
    assertEquals(EPERM, run(arch, false, "ioctl", 0, SeccompFilter.TIOCSTI));
    assertEquals(EPERM, run(arch, false, "ioctl", 0, 0xDEAD_0000_0000_0000L | SeccompFilter.TIOCSTI));
    assertEquals(EPERM, run(arch, false, "ioctl", 0, SeccompFilter.TIOCLINUX));
    assertEquals(ALLOW, run(arch, false, "ioctl", 0, 0x5401)); // TCGETS
    assertEquals(ALLOW, run(arch, false, "ioctl", 0, 0x5413)); // TIOCGWINSZ
  }

  @ParameterizedTest
  @EnumSource(SeccompArch.class)
  void ptraceOnlyWhenAsked(SeccompArch arch) {
    assertEquals(ALLOW, run(arch, false, "ptrace"));
    assertEquals(EPERM, run(arch, true, "ptrace"));
  }

  @ParameterizedTest
  @EnumSource(SeccompArch.class)
  void ordinaryCallsPass(SeccompArch arch) {
    byte[] prog = SeccompFilter.build(arch, new SeccompFilter.Rules(true));
    for (int nr = 0; nr < 450; nr++) {
      final int n = nr;
      boolean named = arch == SeccompArch.X86_64
          ? java.util.stream.Stream.of("keyctl", "add_key", "request_key", "io_uring_setup", "io_uring_enter",
              "io_uring_register", "bpf", "perf_event_open", "userfaultfd", "kexec_load", "kexec_file_load",
              "ptrace", "clone3").anyMatch(c -> arch.number(c) == n)
          : java.util.stream.Stream.of("keyctl", "add_key", "request_key", "io_uring_setup", "io_uring_enter",
              "io_uring_register", "bpf", "perf_event_open", "userfaultfd", "kexec_load", "kexec_file_load",
              "ptrace", "clone3").anyMatch(c -> arch.number(c) == n);
      int r = BpfInterpreter.run(prog, arch.auditArch(), nr, 0, 0);
      if (!named) {
        assertEquals(ALLOW, r, "syscall " + nr);
      }
    }
  }

  @Test
  void anotherArchitectureOrTheX32AbiIsKilled() {
    byte[] x86 = SeccompFilter.build(SeccompArch.X86_64, new SeccompFilter.Rules(false));
    assertEquals(KILL, BpfInterpreter.run(x86, 0x40000003, 0)); // AUDIT_ARCH_I386 read
    assertEquals(KILL, BpfInterpreter.run(x86, SeccompArch.AARCH64.auditArch(), 0));
    assertEquals(KILL, BpfInterpreter.run(x86, SeccompArch.X86_64.auditArch(), SeccompArch.X32_SYSCALL_BIT | 250));
    byte[] arm = SeccompFilter.build(SeccompArch.AARCH64, new SeccompFilter.Rules(false));
    assertEquals(KILL, BpfInterpreter.run(arm, SeccompArch.X86_64.auditArch(), 63));
    assertEquals(ALLOW, BpfInterpreter.run(arm, SeccompArch.AARCH64.auditArch(), 63 | SeccompArch.X32_SYSCALL_BIT));
  }

  @Test
  void programStartsWithTheArchitectureCheck() {
    byte[] p = SeccompFilter.build(SeccompArch.X86_64, new SeccompFilter.Rules(false));
    assertEquals(0, p.length % 8);
    // ld [4]: code 0x20, jt 0, jf 0, k 4
    assertEquals(0x20, p[0]);
    assertEquals(4, p[4]);
    // jeq #AUDIT_ARCH_X86_64 (little endian 3e 00 00 c0)
    assertEquals(0x15, p[8]);
    assertEquals((byte) 0x3e, p[12]);
    assertEquals((byte) 0xc0, p[15]);
    assertTrue(p.length / 8 < 64, "a short program");
  }

  @Test
  void architecturesByOsArch() {
    assertEquals(Optional.of(SeccompArch.X86_64), SeccompArch.fromOsArch("amd64"));
    assertEquals(Optional.of(SeccompArch.AARCH64), SeccompArch.fromOsArch("aarch64"));
    assertEquals(Optional.empty(), SeccompArch.fromOsArch("riscv64"));
  }
}
