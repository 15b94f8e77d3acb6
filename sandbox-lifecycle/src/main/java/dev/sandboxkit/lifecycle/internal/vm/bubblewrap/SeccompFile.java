package dev.sandboxkit.lifecycle.internal.vm.bubblewrap;

import dev.sandboxkit.lifecycle.FailurePhase;
import dev.sandboxkit.lifecycle.SandboxException;
import dev.sandboxkit.lifecycle.internal.seccomp.SeccompArch;
import dev.sandboxkit.lifecycle.internal.seccomp.SeccompFilter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Writes the run's seccomp filter ({@link SeccompFilter}) into its owner-only run folder. */
final class SeccompFile {
  /** The descriptor the launcher opens the filter on for bwrap's {@code --seccomp}. */
  static final int FD = 3;
  static final String NAME = "seccomp.bpf";

  private SeccompFile() {}

  /** The architecture of this host, or REJECTED: the filter is built for x86_64 and aarch64 only. */
  static SeccompArch requireArch(Optional<SeccompArch> arch) throws SandboxException {
    return arch.orElseThrow(() -> new SandboxException(FailurePhase.REJECTED,
        "the bubblewrap driver has no seccomp filter for this architecture (" + System.getProperty("os.arch") + ")",
        "run on x86_64 or aarch64; the sandbox is not started without its filter"));
  }

  static Path write(Path runDir, SeccompArch arch, SeccompFilter.Rules rules) throws SandboxException {
    Path f = runDir.resolve(NAME);
    try {
      Files.write(f, SeccompFilter.build(arch, rules));
      return f;
    } catch (IOException e) {
      throw new SandboxException(FailurePhase.LAUNCH_FAILED, "cannot write the seccomp filter " + f,
          String.valueOf(e), e);
    }
  }
}
