package dev.sandboxkit.lifecycle.internal.seccomp;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The architectures the default filter is built for, with the numbers of the system calls it
 * names. Numbers from the kernel's tables ({@code arch/x86/entry/syscalls/syscall_64.tbl} and the
 * generic {@code include/uapi/asm-generic/unistd.h} that aarch64 uses).
 */
public enum SeccompArch {
  X86_64(0xC000003E, true, Map.ofEntries(
      Map.entry("ioctl", 16), Map.entry("clone", 56), Map.entry("ptrace", 101), Map.entry("kexec_load", 246),
      Map.entry("add_key", 248), Map.entry("request_key", 249), Map.entry("keyctl", 250),
      Map.entry("unshare", 272), Map.entry("perf_event_open", 298), Map.entry("kexec_file_load", 320),
      Map.entry("bpf", 321), Map.entry("userfaultfd", 323), Map.entry("io_uring_setup", 425),
      Map.entry("io_uring_enter", 426), Map.entry("io_uring_register", 427), Map.entry("clone3", 435))),
  AARCH64(0xC00000B7, false, Map.ofEntries(
      Map.entry("ioctl", 29), Map.entry("unshare", 97), Map.entry("kexec_load", 104), Map.entry("ptrace", 117),
      Map.entry("add_key", 217), Map.entry("request_key", 218), Map.entry("keyctl", 219),
      Map.entry("clone", 220), Map.entry("perf_event_open", 241), Map.entry("bpf", 280),
      Map.entry("userfaultfd", 282), Map.entry("kexec_file_load", 294), Map.entry("io_uring_setup", 425),
      Map.entry("io_uring_enter", 426), Map.entry("io_uring_register", 427), Map.entry("clone3", 435)));

  /** x86_64's x32 ABI: system call numbers with this bit set (a second table the filter cannot vet). */
  public static final int X32_SYSCALL_BIT = 0x40000000;

  private final int auditArch;
  private final boolean hasX32;
  private final Map<String, Integer> numbers;

  SeccompArch(int auditArch, boolean hasX32, Map<String, Integer> numbers) {
    this.auditArch = auditArch;
    this.hasX32 = hasX32;
    this.numbers = numbers;
  }

  /** {@code AUDIT_ARCH_*}: what {@code seccomp_data.arch} holds for a native call. */
  public int auditArch() {
    return auditArch;
  }

  /** Whether numbers with {@link #X32_SYSCALL_BIT} reach the kernel as another ABI. */
  public boolean hasX32() {
    return hasX32;
  }

  /** The number of a system call the filter names. */
  public int number(String syscall) {
    Integer n = numbers.get(syscall);
    if (n == null) {
      throw new IllegalArgumentException("no number for " + syscall + " on " + this);
    }
    return n;
  }

  /** The architecture of a JVM's {@code os.arch}, if the filter is built for it. */
  public static Optional<SeccompArch> fromOsArch(String osArch) {
    return switch (osArch.toLowerCase(Locale.ROOT)) {
      case "amd64", "x86_64" -> Optional.of(X86_64);
      case "aarch64", "arm64" -> Optional.of(AARCH64);
      default -> Optional.empty();
    };
  }

  /** This JVM's architecture. */
  public static Optional<SeccompArch> current() {
    return fromOsArch(System.getProperty("os.arch", ""));
  }
}
