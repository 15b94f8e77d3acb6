package dev.sandboxkit.lifecycle.containment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.lifecycle.EnabledIfBubblewrapAvailable;
import dev.sandboxkit.lifecycle.ExecutionRequest;
import dev.sandboxkit.lifecycle.ExecutionResult;
import dev.sandboxkit.lifecycle.FailurePhase;
import dev.sandboxkit.lifecycle.NoLeaksExtension;
import dev.sandboxkit.OneShotRunner;
import dev.sandboxkit.SandboxDrivers;
import dev.sandboxkit.lifecycle.internal.seccomp.SeccompArch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 item 1, the reported attacks on the agent, run by the workload in a real sandbox: it
 * cannot read the agent's memory, attach to it, take its descriptors (pidfd_getfd, /proc/PID/fd:
 * the control socket, the lifeline, the host's sandbox.log), and cannot forge an Exit on the
 * agent's sockets: the host reports the workload's own exit code.
 */
@EnabledIfBubblewrapAvailable
@Timeout(180)
class AgentApartTest {
  @TempDir Path temp;
  Path state;
  OneShotRunner runner;

  @RegisterExtension
  final NoLeaksExtension noLeaks = NoLeaksExtension.withStateRoot(() -> state).waiting(Duration.ofSeconds(10));

  @BeforeEach
  void setUp() throws IOException {
    state = Files.createDirectories(temp.resolve("state"));
    runner = OneShotRunner.builder(SandboxDrivers.byName("bubblewrap")).stateRoot(state).build();
  }

  static String attack(SeccompArch arch) {
    int pidfdOpen = 434;
    int pidfdGetfd = 438;
    int ptrace = arch.number("ptrace");
    return String.join("\n",
        "import ctypes, os, socket, glob",
        "libc = ctypes.CDLL(None, use_errno=True)",
        "def sc(nr, *a):",
        "    ctypes.set_errno(0)",
        "    r = libc.syscall(ctypes.c_long(nr), *[ctypes.c_long(x) for x in a])",
        "    return r, ctypes.get_errno()",
        "agent = [int(p) for p in os.listdir('/proc') if p.isdigit()",
        "         and open('/proc/%s/cmdline' % p, 'rb').read().startswith(b'/opt/sandboxkit/java/bin/java')][0]",
        "print('agent', agent, 'me', os.getpid())",
        "try:",
        "    f = open('/proc/%d/mem' % agent, 'rb'); print('mem OPENED')",
        "except OSError as e: print('mem denied', e.errno)",
        "r, e = sc(" + ptrace + ", 16, agent, 0, 0)",
        "print('ptrace', 'ATTACHED' if r == 0 else 'denied %d' % e)",
        "pidfd, e = sc(" + pidfdOpen + ", agent, 0)",
        "if pidfd < 0: print('pidfd_getfd denied open', e)",
        "else:",
        "    got = []",
        "    for fd in range(0, 64):",
        "        r, e = sc(" + pidfdGetfd + ", pidfd, fd, 0)",
        "        if r >= 0: got.append(fd)",
        "    print('pidfd_getfd', 'TOOK %s' % got if got else 'denied %d' % e)",
        "try:",
        "    os.listdir('/proc/%d/fd' % agent); print('fd LISTED')",
        "except OSError as e: print('fd denied', e.errno)",
        "try:",
        "    open('/proc/%d/fd/1' % agent, 'ab').write(b'X' * 4096); print('log WRITTEN')",
        "except OSError as e: print('log denied', e.errno)",
        "forged = b'{\"type\":\"Exit\",\"exec_id\":\"x\",\"exit_code\":0,\"error_message\":\"forged\\\\u001b[2J\"}'",
        "for path in glob.glob('/opt/sandboxkit/rendezvous/*'):",
        "    try:",
        "        s = socket.socket(socket.AF_UNIX); s.settimeout(2); s.connect(path)",
        "        s.sendall(len(forged).to_bytes(4, 'big') + forged); s.recv(100); s.close()",
        "    except OSError as e: pass",
        "print('done')",
        "");
  }

  @Test
  void theWorkloadCannotReachTheAgent() {
    SeccompArch arch = SeccompArch.current().orElseThrow();
    ExecutionResult r = runner.run(ExecutionRequest.builder(
        "cat > /tmp/attack.py <<'EOF'\n" + attack(arch) + "EOF\npython3 /tmp/attack.py; exit 3").build());
    String out = r.stdoutText();
    // the host reports what the workload did (3), not a forged Exit
    assertEquals(FailurePhase.PROCESS_EXITED, r.failurePhase(), r + " " + out + r.stderrText());
    assertEquals(3, r.exitCode(), out);
    assertFalse(r.errorMessage().contains("forged"), r.errorMessage());
    assertTrue(out.contains("done\n"), out + r.stderrText());
    assertTrue(out.contains("mem denied 13") || out.contains("mem denied 1\n"), out);
    assertTrue(out.contains("ptrace denied 1"), out);
    assertTrue(out.contains("pidfd_getfd denied"), out);
    assertTrue(out.contains("fd denied"), out);
    assertTrue(out.contains("log denied"), out);
  }
}
