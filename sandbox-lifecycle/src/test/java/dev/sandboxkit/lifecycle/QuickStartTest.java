package dev.sandboxkit.lifecycle;

import dev.sandboxkit.*;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The README's library quick-start, compiled and run as written (also in /tmp/team/quickstart.java.txt). */
@EnabledIfBubblewrapAvailable
@Timeout(60)
class QuickStartTest {

  @Test
  void quickStart() {
    // --- README snippet begins ---
    OneShotRunner runner = OneShotRunner.builder(SandboxDrivers.auto())
        .policy(SandboxPolicy.builder().network(NetworkAccess.BLOCK).build())
        .build();
    ExecutionResult result = runner.run(
        ExecutionRequest.builder("echo hello from the sandbox; exit 3")
            .timeout(java.time.Duration.ofSeconds(30))
            .build());
    if (result.failurePhase() != FailurePhase.NONE && result.failurePhase() != FailurePhase.PROCESS_EXITED) {
      System.err.println(result.errorMessage()); // what failed, in one line
    }
    System.out.println(result.exitCode());     // 3
    System.out.print(result.stdoutText());     // hello from the sandbox
    System.out.println(result.failurePhase()); // PROCESS_EXITED
    // --- README snippet ends ---
    assertEquals(3, result.exitCode());
    assertEquals("hello from the sandbox\n", result.stdoutText());
    assertEquals(FailurePhase.PROCESS_EXITED, result.failurePhase());
  }

  @Test
  void sessionQuickStart() throws Exception {
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    java.io.PrintStream console = System.out;
    System.setOut(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      sessionSnippet();
    } finally {
      System.setOut(console);
    }
    assertEquals("hello 42\nCANCELLED\n", captured.toString(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** The README's session snippet is this test's, line for line (indentation aside). */
  @Test
  void readmeSessionSnippetIsTheTestedOne() throws java.io.IOException {
    String readme = java.nio.file.Files.readString(java.nio.file.Path.of("..", "README.md"));
    int at = readme.indexOf("### Sessions (library)");
    org.junit.jupiter.api.Assertions.assertTrue(at >= 0, "README has a Sessions (library) section");
    int from = readme.indexOf("```java\n", at) + "```java\n".length();
    String block = readme.substring(from, readme.indexOf("```", from));
    String source = java.nio.file.Files.readString(
        java.nio.file.Path.of("src/test/java/dev/sandboxkit/lifecycle/QuickStartTest.java"));
    String begin = "// --- README session snippet begins ---";
    int b = source.lastIndexOf(begin) + begin.length();
    String tested = source.substring(b, source.indexOf("// --- README session snippet ends ---", b));
    assertEquals(lines(tested), lines(block).stream().filter(l -> !l.startsWith("import ")).toList());
  }

  static java.util.List<String> lines(String text) {
    return text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
  }

  static void sessionSnippet() throws Exception {
    // --- README session snippet begins ---
    try (Sandbox sandbox = Sandbox.builder(SandboxDrivers.auto())
        .policy(SandboxPolicy.builder().network(NetworkAccess.BLOCK).build())
        .idleTimeout(Duration.ofMinutes(10))          // optional: closes itself when idle
        .start()) {
      sandbox.exec(ExecutionRequest.builder("echo 42 > /tmp/answer").build());
      ExecutionResult r = sandbox.exec(ExecutionRequest.builder("echo \"$GREETING $(cat /tmp/answer)\"")
          .env("GREETING", "hello")                   // per execution, never inherited by the next
          .workingDirectory("/tmp")
          .timeout(Duration.ofSeconds(30))
          .build());
      System.out.print(r.stdoutText());               // hello 42

      Execution running = sandbox.start(ExecutionRequest.builder(Command.argv("sleep", "1000")).build());
      running.cancel();                               // kills its whole process tree
      System.out.println(running.await().failurePhase()); // CANCELLED; the sandbox stays usable
    }
    // --- README session snippet ends ---
  }
}
