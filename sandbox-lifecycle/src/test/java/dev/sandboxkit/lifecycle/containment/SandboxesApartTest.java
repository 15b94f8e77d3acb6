package dev.sandboxkit.lifecycle.containment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sandboxkit.lifecycle.EnabledIfBubblewrapAvailable;
import dev.sandboxkit.lifecycle.ExecutionRequest;
import dev.sandboxkit.lifecycle.ExecutionResult;
import dev.sandboxkit.lifecycle.FailurePhase;
import dev.sandboxkit.lifecycle.NoLeaksExtension;
import dev.sandboxkit.Sandbox;
import dev.sandboxkit.SandboxDrivers;
import dev.sandboxkit.lifecycle.SandboxPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 items 1 and 2 on a root host, as attacks by the workload in real sandboxes: the workload
 * runs as a uid of its own (not the agent's, not another sandbox's), so it cannot signal or stop
 * the agent, read its environment, or enter, plant in or replace the rendezvous folder (the agent's
 * socket and the nonce file), and two live sandboxes cannot read or change each other's files nor
 * see each other's processes. On a non-root host the workload and the agent share the one uid a
 * user namespace can map without newuidmap: those tests are skipped with that reason (the agent is
 * non-dumpable there, {@link AgentApartTest}; the host's deadline ends a stopped agent).
 */
@EnabledIfBubblewrapAvailable
@Timeout(240)
class SandboxesApartTest {
  @TempDir Path temp;
  Path state;

  @RegisterExtension
  final NoLeaksExtension noLeaks = NoLeaksExtension.withStateRoot(() -> state).waiting(Duration.ofSeconds(10));

  @BeforeEach
  void setUp() throws IOException {
    state = Files.createDirectories(temp.resolve("state"));
  }

  static boolean hostIsRoot() throws IOException {
    return Files.readAllLines(Path.of("/proc/self/status")).stream().anyMatch(l -> l.matches("Uid:\\s+0\\s.*"));
  }

  Sandbox start(SandboxPolicy policy) throws Exception {
    return Sandbox.builder(SandboxDrivers.byName("bubblewrap")).stateRoot(state).policy(policy).start();
  }

  static ExecutionResult exec(Sandbox s, String script) throws Exception {
    return s.exec(ExecutionRequest.builder(script).timeout(Duration.ofSeconds(60)).build());
  }

  static final String FIND_AGENT = "agent=$(for p in /proc/[0-9]*; do case \"$(tr '\\0' ' ' < $p/cmdline"
      + " 2>/dev/null)\" in /opt/sandboxkit/java/bin/java*) echo ${p#/proc/};; esac; done | head -1)\n";

  @Test
  void theWorkloadCannotSignalTheAgentNorTouchTheRendezvousFolder() throws Exception {
    assumeTrue(hostIsRoot(), "a non-root host maps one uid into the sandbox: agent and workload share it");
    try (Sandbox s = start(SandboxPolicy.DEFAULT)) {
      ExecutionResult r = exec(s, FIND_AGENT
          + "echo me=$(id -u) agent=$(awk '/^Uid:/{print $2}' /proc/$agent/status)\n"
          + "kill -STOP $agent 2>/dev/null && { echo STOPPED; kill -CONT $agent; } || echo stop-denied\n"
          + "kill -TERM $agent 2>/dev/null && echo KILLED || echo kill-denied\n"
          + "cat /proc/$agent/environ >/dev/null 2>&1 && echo ENVIRON || echo environ-denied\n"
          + "ls /opt/sandboxkit/rendezvous >/dev/null 2>&1 && echo LISTED || echo list-denied\n"
          + "cat /opt/sandboxkit/rendezvous/nonce.bin >/dev/null 2>&1 && echo NONCE || echo nonce-denied\n"
          + "touch /opt/sandboxkit/rendezvous/planted 2>/dev/null && echo PLANTED || echo plant-denied\n"
          + "rm -f /opt/sandboxkit/rendezvous/* 2>/dev/null; ls /opt/sandboxkit/rendezvous/ 2>/dev/null | wc -l\n"
          + "mkdir /tmp/fake && mount --bind /tmp/fake /opt/sandboxkit/rendezvous 2>/dev/null && echo MOUNTED"
          + " || echo mount-denied\n"
          + "exit 3");
      String out = r.stdoutText();
      assertEquals(FailurePhase.PROCESS_EXITED, r.failurePhase(), r + " " + out + r.stderrText());
      assertEquals(3, r.exitCode(), out + r.stderrText());
      String me = out.lines().filter(l -> l.startsWith("me=")).findFirst().orElseThrow(() -> new AssertionError(out));
      assertTrue(me.endsWith(" agent=0"), "the agent keeps uid 0: " + me);
      assertFalse(me.startsWith("me=0 ") || me.startsWith("me=65534 "), "the workload has a uid of its own: " + me);
      for (String denied : new String[] {"stop-denied", "kill-denied", "environ-denied", "list-denied",
          "nonce-denied", "plant-denied", "mount-denied"}) {
        assertTrue(out.contains(denied + "\n"), denied + " in: " + out);
      }
      // the agent is intact: a second execution on the same sandbox works
      ExecutionResult again = exec(s, "echo alive");
      assertEquals(0, again.exitCode(), again + " " + again.extendedError());
      assertEquals("alive\n", again.stdoutText());
    }
  }

  /**
   * Whatever starts a job (the JDK's launch mechanism, the uid drop), each job holds the sandbox's
   * uid and gid in all four fields (real, effective, saved, file system: it cannot get the agent's
   * identity back), no capability in any set (bounding and ambient included), no supplementary
   * group, and no new privileges; and so do the jobs after it (issue 12 moved the spawn path).
   */
  @Test
  void everyJobHoldsOnlyTheSandboxIdentityWithNoCapabilityAndNoNewPrivileges() throws Exception {
    assumeTrue(hostIsRoot(), "a non-root host maps one uid into the sandbox: there is no uid drop to check");
    try (Sandbox s = start(SandboxPolicy.DEFAULT)) {
      for (int i = 0; i < 3; i++) {
        ExecutionResult r = exec(s, "grep -E '^(Uid|Gid|Groups|CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs):'"
            + " /proc/self/status; id -u");
        String out = r.stdoutText();
        assertEquals(0, r.exitCode(), r + " " + out + r.stderrText());
        String uid = out.lines().reduce((a, b) -> b).orElseThrow();
        assertFalse(uid.equals("0") || uid.equals("65534"), "the job has a uid of its own: " + out);
        assertTrue(out.contains("Uid:\t" + uid + "\t" + uid + "\t" + uid + "\t" + uid + "\n"), out);
        assertTrue(out.matches("(?s).*Gid:\t([1-9][0-9]*)\t\\1\t\\1\t\\1\n.*"), out);
        assertTrue(out.matches("(?s).*Groups:[\t ]*\n.*"), "no supplementary group: " + out);
        for (String set : new String[] {"CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"}) {
          assertTrue(out.contains(set + ":\t0000000000000000\n"), set + " in: " + out);
        }
        assertTrue(out.contains("NoNewPrivs:\t1\n"), out);
      }
    }
  }

  @Test
  void twoLiveSandboxesCannotReachEachOthersFilesOrProcesses() throws Exception {
    assumeTrue(hostIsRoot(), "a non-root host maps one uid into the sandbox: every sandbox is the calling user");
    Path shared = Files.createDirectories(temp.resolve("shared"));
    Files.setAttribute(shared, "unix:gid", 65534); // the workloads' shared group, as the README says
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwx---"));
    SandboxPolicy p = SandboxPolicy.builder().readWrite(shared).build();
    try (Sandbox a = start(p); Sandbox b = start(p)) {
      ExecutionResult ra = exec(a, "umask 077; echo secret-a > " + shared + "/a.txt; id -u;"
          + " (sleep 300 > /dev/null 2>&1 &) ; echo planted");
      assertEquals(0, ra.exitCode(), ra + " " + ra.stderrText());
      ExecutionResult rb = exec(b, "id -u\n"
          + "cat " + shared + "/a.txt 2>/dev/null && echo READ || echo read-denied\n"
          + "echo evil >> " + shared + "/a.txt 2>/dev/null && echo WRITTEN || echo write-denied\n"
          + "chmod 666 " + shared + "/a.txt 2>/dev/null && echo CHMODDED || echo chmod-denied\n"
          + "for p in /proc/[0-9]*; do tr '\\0' ' ' < $p/cmdline 2>/dev/null; echo; done | grep -c '^sleep 300' || true\n");
      String out = rb.stdoutText();
      assertEquals(0, rb.exitCode(), rb + " " + out + rb.stderrText());
      String uidA = ra.stdoutText().lines().findFirst().orElseThrow();
      String uidB = out.lines().findFirst().orElseThrow();
      assertNotEquals(uidA, uidB, "two live sandboxes share a uid");
      assertTrue(out.contains("read-denied\n"), out);
      assertTrue(out.contains("write-denied\n"), out);
      assertTrue(out.contains("chmod-denied\n"), out);
      assertTrue(out.endsWith("0\n"), "b sees a's processes: " + out);
      assertEquals("secret-a\n", Files.readString(shared.resolve("a.txt")));
      assertEquals(Long.parseLong(uidA), ((Number) Files.getAttribute(shared.resolve("a.txt"), "unix:uid")).longValue());
    }
  }

  @Test
  void successiveSandboxesGetAnotherUid() throws Exception {
    assumeTrue(hostIsRoot(), "a non-root host maps one uid into the sandbox: every sandbox is the calling user");
    String first;
    try (Sandbox a = start(SandboxPolicy.DEFAULT)) {
      first = exec(a, "id -u").stdoutText();
    }
    try (Sandbox b = start(SandboxPolicy.DEFAULT)) {
      assertNotEquals(first, exec(b, "id -u").stdoutText());
    }
    // each was freed at its teardown, not left for a later run to reclaim
    try (var files = Files.list(Path.of("/run/sandboxkit/uids"))) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (!f.getFileName().toString().startsWith(".")) {
          String holder = Files.readString(f);
          assertFalse(holder.startsWith(state.toString()), f + " still held by " + holder);
        }
      }
    }
  }
}
