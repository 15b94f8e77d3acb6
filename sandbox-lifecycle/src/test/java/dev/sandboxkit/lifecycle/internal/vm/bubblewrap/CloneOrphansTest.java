package dev.sandboxkit.lifecycle.internal.vm.bubblewrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.lifecycle.internal.controlplane.ProcState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15.6: a child that bwrap cloned and left behind (bwrap killed or failed between its clone
 * and the child's parent-death signal) is found by bwrap's exact command line and killed. The stand-in
 * for bwrap is a shell script that forks a subshell (same command line, as a clone before exec has),
 * lets it outlive the script (reparented away from this JVM, no longer a descendant) and exits 1.
 */
@EnabledOnOs(OS.LINUX)
@Timeout(60)
class CloneOrphansTest {
  private static final String SCRIPT = String.join("\n",
      "#!/bin/bash",
      // The clone-alike: no process of its own, blocked (on a FIFO nobody writes) like the real one
      // on its eventfd; it gives up by itself after 60 s, so a failed test leaks nothing for long.
      "mkfifo \"$1.fifo\"",
      "( exec 3<>\"$1.fifo\"; n=0; while [ $n -lt 60 ]; do read -r -t 1 -u 3 _; n=$((n + 1)); done ) &",
      "echo $! >\"$1\"",
      "exit 1",
      "");

  @TempDir Path temp;
  private final List<Long> started = new java.util.ArrayList<>();

  @AfterEach
  void killWhatIsLeft() {
    started.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
  }

  /** Runs the stand-in to its exit; returns its command and the orphan's pid. */
  record Left(Process bwrap, List<String> command, long orphan) {}

  Left leaveAnOrphan(String name) throws IOException, InterruptedException {
    Path script = temp.resolve("fake-bwrap");
    if (!Files.exists(script)) {
      Files.writeString(script, SCRIPT);
    }
    Path pidFile = temp.resolve(name + ".pid");
    List<String> command = List.of("/bin/bash", script.toString(), pidFile.toString());
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    assertTrue(p.waitFor(20, TimeUnit.SECONDS));
    assertEquals(1, p.exitValue());
    long orphan = Long.parseLong(Files.readString(pidFile).strip());
    started.add(orphan);
    ProcessHandle h = ProcessHandle.of(orphan).orElseThrow();
    assertTrue(h.isAlive());
    assertFalse(ProcessHandle.current().descendants().anyMatch(d -> d.pid() == orphan),
        "the orphan is out of this JVM's tree, as a clone of a dead bwrap is");
    return new Left(p, command, orphan);
  }

  static boolean gone(long pid) {
    Optional<ProcessHandle> h = ProcessHandle.of(pid);
    return h.isEmpty() || !h.get().isAlive() || ProcState.exited(pid);
  }

  @Test
  void theTrainerKillsWhatAFailedBwrapClonedAndOnlyThat() throws Exception {
    Left left = leaveAnOrphan("a");
    Left other = leaveAnOrphan("b"); // another run's: a different command line
    assertEquals(List.of(left.orphan()), CloneOrphans.find(left.command()));

    CloneOrphans.killSandbox(left.bwrap(), left.command());

    assertTrue(gone(left.orphan()), "the orphan of the failed bwrap was killed");
    assertFalse(gone(other.orphan()), "another run's process is never touched");
    assertEquals(List.of(other.orphan()), CloneOrphans.kill(other.command(), 5_000));
    assertTrue(gone(other.orphan()));
  }

  @Test
  void aUserSandboxWhoseChildWasNeverSeenIsSweptOnClose() throws Exception {
    Path script = temp.resolve("fake-bwrap");
    Files.writeString(script, SCRIPT);
    Path run = Files.createDirectories(temp.resolve("run"));
    Path pidFile = temp.resolve("c.pid");
    BubblewrapInstance instance = new BubblewrapInstance(
        List.of("/bin/bash", script.toString(), pidFile.toString()), run);
    instance.launch();
    Process p = instance.process().orElseThrow();
    assertTrue(p.waitFor(20, TimeUnit.SECONDS));
    long orphan = Long.parseLong(Files.readString(pidFile).strip());
    started.add(orphan);
    assertFalse(gone(orphan));

    instance.close();

    assertTrue(gone(orphan), "close() swept the clone bwrap left behind");
  }

  @Test
  void aBwrapThatExitedWellLeavesNothingToSweep() throws Exception {
    List<String> command = List.of("/bin/true", temp.toString());
    Process p = new ProcessBuilder(command).start();
    assertTrue(p.waitFor(20, TimeUnit.SECONDS));
    CloneOrphans.killSandbox(p, command);
    assertEquals(List.of(), CloneOrphans.find(command));
  }
}
