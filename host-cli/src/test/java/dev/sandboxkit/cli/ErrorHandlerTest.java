package dev.sandboxkit.cli;

import static dev.sandboxkit.cli.Asserts.assertContains;
import static dev.sandboxkit.cli.Asserts.assertOneLine;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sandboxkit.lifecycle.FailurePhase;
import dev.sandboxkit.lifecycle.SandboxException;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ErrorHandlerTest {

  @Test
  void sandboxExceptionsMapByPhase() {
    assertEquals(125, ErrorHandler.toCli(new SandboxException(FailurePhase.REJECTED, "s", "d")).exitCode());
    assertEquals(125, ErrorHandler.toCli(new SandboxException(FailurePhase.LAUNCH_FAILED, "s", "d")).exitCode());
    assertEquals(126, ErrorHandler.toCli(new SandboxException(FailurePhase.POST_LAUNCH_FAILED, "s", "d")).exitCode());
    assertEquals(124, ErrorHandler.toCli(new SandboxException(FailurePhase.TIMED_OUT, "s", "d")).exitCode());
  }

  @Test
  void theLineIsSummaryThenTheFirstDetailLine() {
    CliException e = ErrorHandler.forSandbox(FailurePhase.REJECTED, "Policy cannot be enforced.",
        "mapped path \"/x\" is a file; map its parent directory instead.\nmore");
    assertEquals("sandboxkit: Policy cannot be enforced: mapped path \"/x\" is a file; map its parent "
        + "directory instead", e.line());
  }

  @Test
  void withoutADetailTheHintByPhaseIsUsed() {
    for (FailurePhase p : FailurePhase.values()) {
      CliException e = ErrorHandler.forSandbox(p, "it failed", "");
      assertEquals("sandboxkit: it failed: " + ErrorHandler.hint(p), e.line());
    }
  }

  @Test
  void unexpectedExceptionsAreOneLineWithoutAStackTrace() {
    StringWriter sw = new StringWriter();
    CliException e = ErrorHandler.toCli(new IllegalStateException("boom"));
    ErrorHandler.print(new PrintWriter(sw), e, false, e);
    assertOneLine(sw.toString());
    assertContains(sw.toString(), "sandboxkit: unexpected error: IllegalStateException: boom: rerun with --verbose");
    StringWriter verbose = new StringWriter();
    ErrorHandler.print(new PrintWriter(verbose), e, true, e);
    assertContains(verbose.toString(), "caused by: java.lang.IllegalStateException: boom");
    assertEquals(-1, verbose.toString().indexOf("\tat "));
  }

  @Test
  void hostileTextIsEscaped() {
    CliException e = ErrorHandler.forSandbox(FailurePhase.REJECTED, "bad\u001b[2J", "x\u202ey");
    assertEquals("sandboxkit: bad\\u{001B}[2J: x\\u{202E}y", e.line());
  }
}
