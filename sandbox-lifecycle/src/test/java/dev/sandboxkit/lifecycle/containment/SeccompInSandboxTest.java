package dev.sandboxkit.lifecycle.containment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.lifecycle.EnabledIfBubblewrapAvailable;
import dev.sandboxkit.lifecycle.ExecutionRequest;
import dev.sandboxkit.lifecycle.ExecutionResult;
import dev.sandboxkit.lifecycle.NoLeaksExtension;
import dev.sandboxkit.OneShotRunner;
import dev.sandboxkit.SandboxDrivers;
import dev.sandboxkit.lifecycle.internal.seccomp.SeccompArch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 item 3 in a real sandbox: each call the default seccomp filter denies answers EPERM to
 * the workload (python3 ctypes calling the kernel directly), and an ordinary workload — shell,
 * python3, the JDK, git, gcc — still works.
 */
@EnabledIfBubblewrapAvailable
@Timeout(180)
class SeccompInSandboxTest {
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

  static final List<String> CALLS = List.of("keyctl", "add_key", "request_key", "io_uring_setup", "io_uring_enter",
      "io_uring_register", "bpf", "perf_event_open", "userfaultfd", "kexec_load", "kexec_file_load");

  /** A python3 program printing "name errno" for each attack (errno 0: the call went through). */
  static String probe(SeccompArch arch) {
    String numbers = java.util.stream.Stream.concat(CALLS.stream(),
            java.util.stream.Stream.of("unshare", "clone", "ioctl", "ptrace"))
        .map(c -> "'" + c + "':" + arch.number(c)).collect(Collectors.joining(","));
    return String.join("\n",
        "import ctypes, os",
        "libc = ctypes.CDLL(None, use_errno=True)",
        "N = {" + numbers + "}",
        "def call(nr, *a):",
        "    ctypes.set_errno(0)",
        "    r = libc.syscall(ctypes.c_long(nr), *[ctypes.c_long(x) for x in a])",
        "    return ctypes.get_errno() if r == -1 else 0",
        "for name in " + CALLS.stream().map(c -> "'" + c + "'").collect(Collectors.joining(",", "[", "]")) + ":",
        "    print(name, call(N[name], 0, 0, 0, 0, 0))",
        "print('unshare_newuser', call(N['unshare'], 0x10000000))",
        "pid = os.fork()",
        "if pid == 0:",
        "    r = call(N['clone'], 0x10000000 | 17, 0, 0, 0, 0)",
        "    os._exit(r if r < 256 else 255)",
        "_, st = os.waitpid(pid, 0)",
        "print('clone_newuser', os.waitstatus_to_exitcode(st))",
        "c = ctypes.c_char(b'x')",
        "print('tiocsti', call(N['ioctl'], 0, 0x5412, ctypes.addressof(c)))",
        "print('tioclinux', call(N['ioctl'], 0, 0x541C, ctypes.addressof(c)))",
        "");
  }

  @Test
  void everyDeniedCallAnswersEpermInsideTheSandbox() throws Exception {
    SeccompArch arch = SeccompArch.current().orElseThrow();
    ExecutionResult r = runner.run(ExecutionRequest.builder(
        "cat > /tmp/probe.py <<'EOF'\n" + probe(arch) + "EOF\npython3 /tmp/probe.py").build());
    assertEquals(0, r.exitCode(), r + " " + r.stderrText() + r.extendedError());
    String out = r.stdoutText();
    for (String c : CALLS) {
      assertTrue(out.contains(c + " 1\n"), c + " not EPERM: " + out);
    }
    assertTrue(out.contains("unshare_newuser 1\n"), out);
    // clone(CLONE_NEWUSER) from a child: the child exits with the errno it saw (0 had it gone through)
    assertTrue(out.contains("clone_newuser 1\n"), out);
    assertTrue(out.contains("tiocsti 1\n"), out);
    assertTrue(out.contains("tioclinux 1\n"), out);
  }

  /** The reported attack: a nested user namespace with full capabilities, then a mount inside it. */
  @Test
  void unshareUserNamespaceIsRefused() {
    ExecutionResult r = runner.run(ExecutionRequest.builder(
        "unshare -Urm sh -c 'mount -t tmpfs none /mnt && echo MOUNTED'; echo rc=$?").build());
    assertEquals(0, r.exitCode(), r.errorMessage());
    assertTrue(!r.stdoutText().contains("MOUNTED"), r.stdoutText());
    assertTrue(r.stderrText().contains("Operation not permitted"), r.stderrText());
  }

  /** An ordinary workload under the filter: shell, python3, the JDK, git, gcc (threads, forks, exec). */
  @Test
  void ordinaryWorkloadStillWorks() {
    String script = String.join("\n",
        "set -e",
        "cd /tmp",
        "python3 -c 'import threading, subprocess; t = threading.Thread(target=print, args=(\"py-thread\",));"
            + " t.start(); t.join(); print(subprocess.run([\"echo\", \"py-sub\"], capture_output=True).stdout.decode().strip())'",
        "/opt/sandboxkit/java/bin/java -Xshare:off -XX:+UseSerialGC -version 2>&1 | head -1 | sed 's/^/jdk: /'",
        "git init -q repo && cd repo && git -c user.email=a@b -c user.name=a commit -q --allow-empty -m x"
            + " && git log --oneline | wc -l | sed 's/^/git: /' && cd ..",
        "printf '#include <stdio.h>\\n#include <pthread.h>\\nvoid*f(void*a){return a;}\\n"
            + "int main(){pthread_t t;pthread_create(&t,0,f,0);pthread_join(t,0);puts(\"gcc-ok\");return 0;}\\n' > t.c",
        "gcc -pthread -o t t.c && ./t",
        "echo shell-ok");
    ExecutionResult r = runner.run(ExecutionRequest.builder(script).build());
    assertEquals(0, r.exitCode(), r + "\nstdout: " + r.stdoutText() + "\nstderr: " + r.stderrText());
    String out = r.stdoutText();
    assertTrue(out.contains("py-thread\npy-sub\n"), out);
    assertTrue(out.contains("jdk: "), out);
    assertTrue(out.contains("git: 1\n"), out);
    assertTrue(out.contains("gcc-ok\n"), out);
    assertTrue(out.endsWith("shell-ok\n"), out);
  }
}
