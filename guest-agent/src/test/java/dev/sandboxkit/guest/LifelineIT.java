package dev.sandboxkit.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sandboxkit.auth.Nonce;
import dev.sandboxkit.auth.NonceFile;
import dev.sandboxkit.guest.testhost.TestHost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host lifeline, end to end with the shaded jar as its own process: {@code --lifeline stdin}
 * and the test holding the write end of the agent's stdin, the way the bubblewrap driver does.
 */
@EnabledOnOs(OS.LINUX)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LifelineIT {
  @TempDir Path dir;

  private Process start(Path log) throws IOException {
    return new ProcessBuilder(
            List.of(GuestJarIT.java(), "-XX:+UseSerialGC", "-Xmx64m", "-jar", GuestJarIT.jar().toString(),
                "--transport", "unix", "--rendezvous", dir.toString(), "--network", "allow",
                "--lifeline", "stdin"))
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start(); // stdin stays a pipe: its write end is the lifeline
  }

  @Test
  void closingStdinMidJobKillsTheJobsWholeTreeAndExitsWithSeven() throws Exception {
    Nonce nonce = Nonce.generate();
    NonceFile.write(dir, nonce);
    Path log = dir.resolve("agent.log");
    List<String> pipesBefore = pipes(ProcessHandle.current().pid());
    Process agent = start(log);
    // The agent is not dumpable (AgentHardening), so as a non-root user its /proc/<pid>/fd cannot be
    // read; the lifeline is found from this side instead: among the pipes start() left open here is
    // the write end of the agent's stdin (both ends share one inode). No job process may hold any.
    List<String> opened = pipes(ProcessHandle.current().pid());
    opened.removeAll(pipesBefore);
    assertFalse(opened.isEmpty(), "start() opened no pipe: where is the lifeline?");
    if (Files.isReadable(Path.of("/proc/" + agent.pid() + "/fd"))) { // root: check the finding
      String stdin = Files.readSymbolicLink(Path.of("/proc/" + agent.pid() + "/fd/0")).toString();
      assertTrue(opened.contains(stdin), "agent stdin " + stdin + " not among " + opened);
    }
    List<ProcessHandle> tree = new ArrayList<>();
    try {
      TestHost host = TestHost.rendezvous(dir, nonce, Duration.ofSeconds(30));
      host.open();
      // a foreground sleep and a daemonized one (new session, re-parented to the subreaper agent)
      CompletableFuture<TestHost.Result> job = CompletableFuture.supplyAsync(() -> {
        try {
          return host.exec("(setsid sleep 1001 > /dev/null 2>&1 &); sleep 1000");
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      ProcessHandle sleep1000 = awaitDescendant(agent.toHandle(), "sleep 1000");
      ProcessHandle sleep1001 = awaitDescendant(agent.toHandle(), "sleep 1001");
      tree.addAll(agent.toHandle().descendants().collect(Collectors.toList()));
      assertTrue(tree.contains(sleep1000) && tree.contains(sleep1001), "job tree: " + describe(tree));

      // The job must not inherit the lifeline: its stdin is its own pipe, and no fd of any job
      // process refers to the agent's stdin pipe.
      for (ProcessHandle p : tree) {
        for (String link : fdLinks(p.pid())) {
          assertFalse(opened.contains(link), "job process " + p.pid() + " holds the agent's lifeline " + link);
        }
      }

      agent.getOutputStream().close(); // the host "dies"
      assertTrue(agent.waitFor(20, TimeUnit.SECONDS), "agent still running 20 s after its lifeline closed");
      String text = Files.readString(log);
      assertEquals(ExitCodes.LIFELINE, agent.exitValue(), text);
      assertTrue(text.contains("host lifeline closed (end of file)"), text);
      awaitGone(tree, 10_000);
      assertFalse(text.contains("sleep 100"), "the log must not contain the command line: " + text);
      job.handle((r, e) -> null).get(30, TimeUnit.SECONDS); // the host side sees the channels drop
    } finally {
      agent.destroyForcibly();
      tree.forEach(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void aHostGoneBeforeItEverConnectedEndsTheAgentPromptly() throws Exception {
    NonceFile.write(dir, Nonce.generate());
    Path log = dir.resolve("agent.log");
    Process agent = start(log);
    try {
      // the host dies right after the launch, before the agent has even started its JVM
      agent.getOutputStream().close();
      assertTrue(agent.waitFor(30, TimeUnit.SECONDS),
          "agent still waiting (connect timeout is 600 s) 30 s after its lifeline closed");
      assertEquals(ExitCodes.LIFELINE, agent.exitValue(), Files.readString(log));
    } finally {
      agent.destroyForcibly();
    }
  }

  private static ProcessHandle awaitDescendant(ProcessHandle root, String commandLine) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() - end < 0) {
      var hit = root.descendants()
          .filter(p -> p.info().commandLine().map(c -> c.endsWith(commandLine)).orElse(false))
          .findFirst();
      if (hit.isPresent()) {
        return hit.get();
      }
      Thread.sleep(50);
    }
    return fail("no '" + commandLine + "' under " + root.pid() + " within 20 s: "
        + describe(root.descendants().collect(Collectors.toList())));
  }

  private static List<String> pipes(long pid) {
    return fdLinks(pid).stream().filter(l -> l.startsWith("pipe:")).collect(Collectors.toList());
  }

  private static List<String> fdLinks(long pid) {
    List<String> links = new ArrayList<>();
    try (Stream<Path> s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
      for (Path fd : (Iterable<Path>) s::iterator) {
        try {
          links.add(Files.readSymbolicLink(fd).toString());
        } catch (IOException e) {
          // closed meanwhile
        }
      }
    } catch (IOException e) {
      // process gone
    }
    return links;
  }

  private static void awaitGone(List<ProcessHandle> tree, long millis) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    List<ProcessHandle> alive;
    do {
      alive = tree.stream().filter(ProcessHandle::isAlive).collect(Collectors.toList());
      if (alive.isEmpty()) {
        return;
      }
      Thread.sleep(50);
    } while (System.nanoTime() - end < 0);
    fail("job processes still alive " + millis + " ms after the agent exited: " + describe(alive));
  }

  private static String describe(List<ProcessHandle> ps) {
    return ps.stream().map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
        .collect(Collectors.joining("; "));
  }
}
