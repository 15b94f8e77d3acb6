package dev.sandboxkit.lifecycle;

import dev.sandboxkit.*;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * Issue 13.3: ordinary commands work in a default sandbox (the /etc view shows what they resolve
 * through: /etc/alternatives, /etc/ssl, /etc/ca-certificates), and what the view keeps out stays out.
 * .ci/run installs gcc, python3, git and curl where missing.
 */
@EnabledIfBubblewrapAvailable
@Timeout(180)
class SystemToolsEndToEndTest {
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

  ExecutionResult run(String command) {
    return runner.run(ExecutionRequest.builder(command).timeout(Duration.ofSeconds(60)).build());
  }

  @Test
  void ordinaryCommandsWork() {
    ExecutionResult r = run("set -e; echo 'a b' | awk '{print $2}';"
        + " printf 'int main(void){return 7;}' > /tmp/t.c; cc -o /tmp/t /tmp/t.c; /tmp/t || echo cc=$?;"
        + " java -version 2>&1 | head -1 | cut -c1-4;"
        + " python3 -c 'print(6*7)';"
        + " git --version | cut -d' ' -f1-2;"
        + " curl --version | head -1 | cut -d' ' -f1");
    assertEquals(FailurePhase.NONE, r.failurePhase(), r + " " + r.extendedError() + " stderr: " + r.stderrText());
    String[] lines = r.stdoutText().split("\n");
    assertEquals("b", lines[0], r.stdoutText());
    assertEquals("cc=7", lines[1], r.stdoutText());
    assertTrue(lines[2].matches("(open|java)"), r.stdoutText());
    assertEquals("42", lines[3], r.stdoutText());
    assertEquals("git version", lines[4], r.stdoutText());
    assertEquals("curl", lines[5], r.stdoutText());
  }

  @Test
  void certificatesAreVisibleAndSecretsAreNot() {
    ExecutionResult r = run("ls /etc/ssl/certs | grep -c . ; test -e /etc/ca-certificates.conf && echo ca;"
        + " for f in /etc/shadow /etc/gshadow /etc/sudoers /etc/ssh /etc/machine-id /etc/hostname; do"
        + " test -e $f && echo visible:$f; done; ls -A /etc/ssl/private 2>/dev/null | wc -l");
    assertEquals(FailurePhase.NONE, r.failurePhase(), r + " " + r.extendedError());
    String[] lines = r.stdoutText().split("\n");
    assertTrue(Integer.parseInt(lines[0].trim()) > 0, r.stdoutText());
    assertEquals("ca", lines[1], r.stdoutText());
    assertEquals("0", lines[2].trim(), "nothing kept out is visible and /etc/ssl/private is empty: " + r.stdoutText());
  }
}
