package dev.sandboxkit.lifecycle.containment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sandboxkit.lifecycle.EnabledIfBubblewrapAvailable;
import dev.sandboxkit.lifecycle.ExecutionRequest;
import dev.sandboxkit.lifecycle.ExecutionResult;
import dev.sandboxkit.lifecycle.FailurePhase;
import dev.sandboxkit.lifecycle.NoLeaksExtension;
import dev.sandboxkit.OneShotRunner;
import dev.sandboxkit.SandboxDrivers;
import dev.sandboxkit.lifecycle.SandboxPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15.5: a root host with a root-owned work folder. Without the opt-in the folder is refused
 * and the refusal names the opt-in; with it the workload writes there as root (files stay root's)
 * while holding no capability, cannot write the host's sysctls, mount or make a user namespace; and
 * the opt-in is refused for folders where a root write would act on the host. Root only: on a
 * non-root host the workload already writes as the calling user and the opt-in changes nothing.
 */
@EnabledIfBubblewrapAvailable
@Timeout(180)
class WriteAsOwnerTest {
  @TempDir Path temp;
  Path state;
  Path work;

  @RegisterExtension
  final NoLeaksExtension noLeaks = NoLeaksExtension.withStateRoot(() -> state).waiting(Duration.ofSeconds(10));

  @BeforeEach
  void setUp() throws IOException {
    assumeTrue(SandboxesApartTest.hostIsRoot(), "the opt-in is for root hosts; elsewhere the workload is the caller");
    state = Files.createDirectories(temp.resolve("state"));
    work = Files.createDirectories(temp.resolve("checkout")); // root's, 0755: a root CI container's checkout
    Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  ExecutionResult run(SandboxPolicy p, String script) {
    return OneShotRunner.builder(SandboxDrivers.byName("bubblewrap")).stateRoot(state).policy(p).build()
        .run(ExecutionRequest.builder(script).timeout(Duration.ofSeconds(60)).build());
  }

  @Test
  void aRootOwnedFolderIsRefusedWithTheOptInNamed() {
    ExecutionResult r = run(SandboxPolicy.builder().readWrite(work).build(), "true");
    assertEquals(FailurePhase.REJECTED, r.failurePhase(), r.toString());
    assertTrue(r.extendedError().contains("--rw-as-owner"), r.extendedError());
    assertTrue(r.extendedError().contains("chgrp 65534"), r.extendedError());
  }

  @Test
  void withTheOptInTheWorkloadWritesAsTheOwnerWithoutAnyCapability() throws Exception {
    ExecutionResult r = run(SandboxPolicy.builder().readWrite(work).writeAsOwner(true).build(),
        "echo built > " + work + "/out.txt && echo wrote\n"
            + "id -u; grep -E '^(CapEff|CapPrm|CapBnd|NoNewPrivs)' /proc/self/status\n"
            + "test -w /proc/sys/kernel/core_pattern && echo SYSCTL || echo sysctl-denied\n"
            + "test -w /proc/sysrq-trigger && echo SYSRQ || echo sysrq-denied\n"
            + "umount /proc/sys 2>/dev/null && echo UNMOUNTED || echo umount-denied\n"
            + "mount -t tmpfs none /tmp 2>/dev/null && echo MOUNTED || echo mount-denied\n"
            + "unshare -U true 2>/dev/null && echo USERNS || echo userns-denied\n");
    String out = r.stdoutText();
    assertEquals(0, r.exitCode(), r + " " + out + r.stderrText());
    assertTrue(out.startsWith("wrote\n0\n"), out);
    assertTrue(out.contains("CapEff:\t0000000000000000"), out);
    assertTrue(out.contains("CapPrm:\t0000000000000000"), out);
    assertTrue(out.contains("CapBnd:\t0000000000000000"), out);
    assertTrue(out.contains("NoNewPrivs:\t1"), out);
    for (String d : new String[] {"sysctl-denied", "sysrq-denied", "umount-denied", "mount-denied",
        "userns-denied"}) {
      assertTrue(out.contains(d + "\n"), d + " in " + out);
    }
    Path f = work.resolve("out.txt");
    assertEquals("built\n", Files.readString(f));
    assertEquals(0, ((Number) Files.getAttribute(f, "unix:uid")).longValue(), "the checkout stays root's");
  }

  @Test
  void theOptInIsRefusedWhereARootWriteWouldActOnTheHost() throws Exception {
    Path underVar = Files.createTempDirectory(Path.of("/var/tmp"), "sk-owner-");
    try {
      ExecutionResult r = run(SandboxPolicy.builder().readWrite(underVar).writeAsOwner(true).build(), "true");
      assertEquals(FailurePhase.REJECTED, r.failurePhase(), r.toString());
      assertTrue(r.extendedError().contains("lies in /var"), r.extendedError());
    } finally {
      try (Stream<Path> s = Files.walk(underVar)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
