package dev.sandboxkit.cli;

import static dev.sandboxkit.cli.Asserts.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.lifecycle.FailurePhase;
import dev.sandboxkit.lifecycle.PrepareResult;
import dev.sandboxkit.lifecycle.SandboxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code sandboxkit prepare} on a fake backend: the line per outcome, the exit codes, the driver option. */
class PrepareCommandTest {
  static final Path ARCHIVE = Path.of("/home/u/.cache/sandboxkit/cds/guest-0123-456.jsa");

  static Cli answering(PrepareResult r) {
    Cli cli = new Cli();
    cli.backend.onPrepare = (d, l) -> r;
    return cli;
  }

  @Test
  void builtSaysWhatWhereAndHowLong() {
    Cli cli = answering(new PrepareResult(PrepareResult.Status.BUILT, Optional.of(ARCHIVE), Duration.ofMillis(2930), ""));
    assertEquals(0, cli.execute("prepare"));
    assertEquals("built the guest's class-data archive in 2.9 s (bubblewrap): " + ARCHIVE + "\n", cli.out());
    assertEquals("", cli.err());
    assertEquals(List.of("bubblewrap"), cli.backend.prepares);
    assertEquals(List.of(), cli.backend.runs, "no rehearsal run outside the launcher's recording run");
  }

  @Test
  void alreadyPresentSaysWhere() {
    Cli cli = answering(new PrepareResult(PrepareResult.Status.ALREADY_PRESENT, Optional.of(ARCHIVE), Duration.ZERO, ""));
    assertEquals(0, cli.execute("prepare", "--driver", "bubblewrap"));
    assertEquals("the guest's class-data archive is already built (bubblewrap): " + ARCHIVE + "\n", cli.out());
  }

  @Test
  void nothingToDoSaysWhyAndSucceeds() {
    Cli off = answering(new PrepareResult(PrepareResult.Status.DISABLED, Optional.empty(), Duration.ZERO,
        "class-data archives are off: SANDBOXKIT_NO_CDS is set"));
    assertEquals(0, off.execute("prepare"));
    assertEquals("nothing to prepare (bubblewrap): class-data archives are off: SANDBOXKIT_NO_CDS is set\n", off.out());

    Cli windows = answering(new PrepareResult(PrepareResult.Status.NOT_APPLICABLE, Optional.empty(), Duration.ZERO,
        "the windows-sandbox driver keeps no class-data archive"));
    assertEquals(0, windows.execute("prepare", "--driver", "windows-sandbox"));
    assertEquals("nothing to prepare (windows-sandbox): the windows-sandbox driver keeps no class-data archive\n",
        windows.out());
    assertEquals(List.of("windows-sandbox"), windows.backend.prepares);
  }

  @Test
  void aFailedTrainingIsOneErrorLineAndExit1() {
    Cli cli = answering(new PrepareResult(PrepareResult.Status.FAILED, Optional.empty(), Duration.ofSeconds(4),
        "the training sandbox exited with status 3 (details in /c/guest-1.failed)."));
    assertEquals(1, cli.execute("prepare"));
    assertEquals("", cli.out());
    assertEquals("sandboxkit: the guest's class-data archive could not be built: the training sandbox exited with"
        + " status 3 (details in /c/guest-1.failed): sandboxes still start without it, about 200 ms slower each;"
        + " fix the cause and run 'sandboxkit prepare' again, or set SANDBOXKIT_NO_CDS=1 to stop building it\n",
        cli.err());
  }

  @Test
  void aDriverThatCannotRunHereIsExit125WithTheFix() {
    Cli cli = new Cli();
    cli.backend.prepareFailure = new SandboxException(FailurePhase.REJECTED, "bubblewrap (bwrap) is not installed",
        "install bubblewrap: sudo apt-get install bubblewrap");
    assertEquals(125, cli.execute("prepare"));
    assertEquals("", cli.out());
    assertEquals("sandboxkit: bubblewrap (bwrap) is not installed: install bubblewrap: sudo apt-get install"
        + " bubblewrap\n", cli.err());
  }

  @Test
  void anUnknownDriverIsAUsageError() {
    Cli cli = new Cli();
    assertEquals(125, cli.execute("prepare", "--driver", "qemu"));
    assertContains(cli.err(), "unknown driver 'qemu'");
    assertEquals(List.of(), cli.backend.prepares);
  }

  @Test
  void aTrainingShowsOnTheProgressLineOfATerminal() {
    Cli cli = new Cli();
    cli.stderrIsTerminal = true;
    cli.backend.onPrepare = (d, l) -> {
      l.archiveStart("");
      l.archiveEnd("");
      return new PrepareResult(PrepareResult.Status.BUILT, Optional.of(ARCHIVE), Duration.ofSeconds(3), "");
    };
    assertEquals(0, cli.execute("prepare"));
    assertTrue(cli.out().startsWith("built the guest's class-data archive in 3.0 s"), cli.out());
    assertTrue(!cli.err().contains("\n"), "at most the erased progress line on stderr: " + cli.err());
  }

  @Test
  void verboseTimesTheTraining() {
    Cli cli = new Cli();
    cli.backend.onPrepare = (d, l) -> {
      l.archiveStart("");
      l.archiveEnd("");
      return new PrepareResult(PrepareResult.Status.BUILT, Optional.of(ARCHIVE), Duration.ofSeconds(3), "");
    };
    assertEquals(0, cli.execute("prepare", "-v"));
    assertContains(cli.err(), "sandboxkit: training class-data archive ");
  }
}
