package dev.sandboxkit.lifecycle.internal.vm.bubblewrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.lifecycle.SandboxDriver;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Issue 15.4: each way user namespaces fail, from bwrap's real messages and the host's knobs. */
@Timeout(60)
class UsernsDiagnosisTest {
  // bwrap's messages, verbatim. ENOSPC was reproduced here (unshare -Ur, echo 0 >
  // /proc/sys/user/max_user_namespaces, bwrap --unshare-user ...); the others are bubblewrap's strings.
  static final String EPERM = "bwrap: No permissions to creating new namespace, likely because the kernel does not"
      + " allow non-privileged user namespaces. On e.g. debian this can be enabled with"
      + " 'sysctl kernel.unprivileged_userns_clone=1'.";
  static final String ENOSPC = "bwrap: Creating new namespace failed: nesting depth or"
      + " /proc/sys/user/max_*_namespaces exceeded (ENOSPC)";
  static final String EINVAL = "bwrap: Creating new namespace failed, likely because the kernel does not support"
      + " user namespaces.  bwrap must be installed setuid on such systems.";
  static final String UID_MAP = "bwrap: setting up uid map: Permission denied";
  static final String LOOPBACK = "bwrap: loopback: Failed RTM_NEWADDR: Operation not permitted";
  static final String PROC = "bwrap: Can't mount proc on /newroot/proc: Operation not permitted";

  static UsernsDiagnosis.Facts facts(String clone, String max, String apparmor, boolean container, int seccomp) {
    return new UsernsDiagnosis.Facts(clone, max, apparmor, container, seccomp);
  }

  static final UsernsDiagnosis.Facts PLAIN = facts(null, "96367", null, false, 0);

  @Test
  void apparmorsRestrictionWithBothFixes() {
    for (String m : new String[] {UID_MAP, LOOPBACK}) {
      UsernsDiagnosis.Cause c = UsernsDiagnosis.classify(m, facts(null, "96367", "1", false, 0));
      assertEquals("apparmor", c.kind(), m);
      assertTrue(c.fix().contains("/etc/apparmor.d/bwrap") && c.fix().contains("userns"), c.fix());
      assertTrue(c.fix().contains("kernel.apparmor_restrict_unprivileged_userns=0"), c.fix());
      assertTrue(c.detail().contains(m), c.detail());
    }
  }

  @Test
  void maxUserNamespacesZero() {
    assertEquals("max_user_namespaces", UsernsDiagnosis.classify(ENOSPC, PLAIN).kind());
    // --unshare-all skips the user namespace when the knob is 0; the other namespaces then fail with EPERM
    UsernsDiagnosis.Cause c = UsernsDiagnosis.classify(EPERM, facts(null, "0", null, false, 0));
    assertEquals("max_user_namespaces", c.kind());
    assertTrue(c.fix().contains("sysctl -w user.max_user_namespaces="), c.fix());
  }

  @Test
  void unprivilegedUsernsCloneZero() {
    UsernsDiagnosis.Cause c = UsernsDiagnosis.classify(EPERM, facts("0", "96367", null, false, 0));
    assertEquals("unprivileged_userns_clone", c.kind());
    assertTrue(c.fix().contains("sysctl -w kernel.unprivileged_userns_clone=1"), c.fix());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "true|2|seccomp", "false|2|seccomp", "true|0|container", "false|0|unknown"})
  void insideAContainerOrUnderASeccompProfile(boolean container, int seccomp, String kind) {
    assertEquals(kind, UsernsDiagnosis.classify(EPERM, facts(null, "96367", null, container, seccomp)).kind());
    if (container && seccomp == 0) {
      assertEquals("container", UsernsDiagnosis.classify(PROC, facts(null, "96367", null, true, 0)).kind());
    }
  }

  @Test
  void seccompAndContainerFixesSayWhatToChange() {
    assertTrue(UsernsDiagnosis.classify(EPERM, facts(null, "1", null, true, 2)).fix().contains("seccomp=unconfined"));
    assertTrue(UsernsDiagnosis.classify(PROC, facts(null, "1", null, true, 0)).fix().contains("--privileged"));
  }

  @Test
  void aKernelWithoutUserNamespaces() {
    assertEquals("kernel", UsernsDiagnosis.classify(EINVAL, PLAIN).kind());
  }

  @Test
  void anythingElseKeepsBwrapsMessage() {
    UsernsDiagnosis.Cause c = UsernsDiagnosis.classify("bwrap: something new", PLAIN);
    assertEquals("unknown", c.kind());
    assertEquals("bwrap: something new", c.detail());
  }

  /** The real probe on this host: bwrap works here (CI), as root and in the non-root pass. */
  @Test
  @EnabledOnOs(OS.LINUX)
  void theRealProbeWorksHereAndReportsAMissingBinary() {
    Optional<Path> bwrap = HostFacts.findExecutable("bwrap");
    org.junit.jupiter.api.Assumptions.assumeTrue(bwrap.isPresent(), "bwrap is not installed");
    assertEquals(Optional.empty(), UsernsDiagnosis.probe(bwrap.get()));
    Optional<String> missing = UsernsDiagnosis.probe(Path.of("/nonexistent/bwrap"));
    assertTrue(missing.orElseThrow().startsWith("cannot run /nonexistent/bwrap"), missing.toString());
    // The real ENOSPC message, classified. Needs unshare(1) and unprivileged user namespaces.
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void doctorSaysUserNamespacesWorkOnThisHost() {
    org.junit.jupiter.api.Assumptions.assumeFalse(HostFacts.isRoot(), "root needs no user namespace (setpriv check)");
    BubblewrapDriver d = new BubblewrapDriver(false);
    SandboxDriver.Check c = d.prerequisites().stream().filter(x -> x.name().equals("user namespaces usable"))
        .findFirst().orElseThrow();
    assertTrue(c.ok(), c.toString());
  }
}
