package dev.sandboxkit.guest.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.WinBase;
import com.sun.jna.platform.win32.WinNT;
import com.sun.jna.ptr.IntByReference;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The guest's Windows jobs through real Win32 (JNA), never faked; skipped everywhere but on Windows
 * with {@code -Dsandboxkit.windows.it=true} (the README's Windows section has the command). Every
 * test fails when the behaviour it names breaks: a job that is not kill-on-close leaves the probe's
 * pings alive, a handle list that is not applied lets the child keep the canary pipe open, and so on.
 */
@EnabledOnOs(OS.WINDOWS)
@EnabledIfSystemProperty(named = "sandboxkit.windows.it", matches = "true")
@Timeout(120)
class WindowsJobIntegrationTest {
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  /** A command that runs for ten minutes unless killed. */
  static final String LONG = "ping -n 600 127.0.0.1 > nul";

  private final List<JobProcess> started = new ArrayList<>();
  private final ExecutorService readers = Executors.newCachedThreadPool();

  @AfterEach
  void killEverything() {
    for (JobProcess p : started) {
      p.killTree(DEADLINE);
    }
    readers.shutdownNow();
  }

  private JobProcess start(JobLimits limits, String script, Map<String, String> env) throws IOException {
    JobProcess p = new WindowsJobLauncher(WindowsJobLauncher.Apis::load, limits).start(script, null, env);
    started.add(p);
    return p;
  }

  private Future<String> drain(InputStream in) {
    return readers.submit(() -> {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toString(StandardCharsets.ISO_8859_1);
    });
  }

  @Test
  void exitCodeOfTheMainProcessPropagates() throws Exception {
    for (int code : new int[] {0, 3, 42, 255, 1000}) {
      JobProcess p = start(JobLimits.NONE, "exit /b " + code, Map.of());
      assertTrue(p.waitFor(DEADLINE.toMillis()));
      assertEquals(code, p.exitCode(), "exit /b " + code);
      assertEquals(List.of(), p.killTree(DEADLINE));
    }
  }

  @Test
  void stdinStdoutAndStderrAreTheJobsPipes() throws Exception {
    JobProcess p = start(JobLimits.NONE, "sort & echo to-stderr 1>&2", Map.of());
    Future<String> out = drain(p.stdout());
    Future<String> err = drain(p.stderr());
    p.stdin().write("pear\r\napple\r\n".getBytes(StandardCharsets.US_ASCII));
    p.stdin().close();
    assertTrue(p.waitFor(DEADLINE.toMillis()));
    assertEquals("apple\r\npear\r\n", out.get(30, TimeUnit.SECONDS));
    assertEquals("to-stderr \r\n", err.get(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitCode());
  }

  /** killTree terminates the job: the shell, a child and a {@code start /b} grandchild all die. */
  @Test
  void killTreeKillsTheWholeTree() throws Exception {
    JobProcess p = start(JobLimits.NONE, "start /b " + LONG + " & " + LONG, Map.of());
    List<ProcessHandle> tree = treeOf(p.pid(), 3);
    assertEquals(List.of(), p.killTree(DEADLINE));
    for (ProcessHandle h : tree) {
      assertTrue(awaitDeath(h), "alive after killTree: " + h.pid() + " " + h.info());
    }
  }

  /**
   * Kill-on-close for real: a JVM ({@link KillOnCloseProbe}) starts a job tree and halts without
   * any clean-up; only the job object's kill-on-close can take the tree with it.
   */
  @Test
  void theJobsTreeDiesWithTheAgentThatHeldTheJob() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java.exe").toString();
    Process probe = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        KillOnCloseProbe.class.getName()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      java.io.BufferedReader said = new java.io.BufferedReader(
          new java.io.InputStreamReader(probe.getInputStream(), StandardCharsets.US_ASCII));
      String line = String.valueOf(said.readLine());
      assertTrue(line.startsWith(KillOnCloseProbe.PREFIX), "probe said: " + line);
      List<ProcessHandle> tree = new ArrayList<>();
      for (String pid : line.substring(KillOnCloseProbe.PREFIX.length()).trim().split(" ")) {
        tree.add(ProcessHandle.of(Long.parseLong(pid)).orElseThrow(() -> new AssertionError("gone early: " + pid)));
      }
      assertTrue(tree.size() >= 3, line);
      probe.getOutputStream().write('\n'); // now the probe halts, closing its handles without clean-up
      probe.getOutputStream().flush();
      assertTrue(probe.waitFor(30, TimeUnit.SECONDS));
      for (ProcessHandle h : tree) {
        assertTrue(awaitDeath(h), "still alive after the agent died: " + h.pid() + " " + h.info());
      }
    } finally {
      probe.destroyForcibly();
    }
  }

  /**
   * Only the three pipe ends reach the child: an inheritable handle of the agent (a canary pipe's
   * write end) does not. Were it inherited, the read end would see no end of file while the child
   * lives.
   */
  @Test
  void onlyTheJobsPipesAreInherited() throws Exception {
    Kernel32 k = Kernel32.INSTANCE;
    WinBase.SECURITY_ATTRIBUTES inherit = new WinBase.SECURITY_ATTRIBUTES();
    inherit.bInheritHandle = true;
    WinNT.HANDLEByReference read = new WinNT.HANDLEByReference();
    WinNT.HANDLEByReference write = new WinNT.HANDLEByReference();
    assertTrue(k.CreatePipe(read, write, inherit, 0), "CreatePipe " + k.GetLastError());
    try {
      JobProcess p = start(JobLimits.NONE, LONG, Map.of());
      treeOf(p.pid(), 2); // the child is running with whatever it inherited
      assertTrue(k.CloseHandle(write.getValue()));
      Future<Integer> eof = readers.submit(() -> {
        IntByReference got = new IntByReference();
        byte[] b = new byte[16];
        return k.ReadFile(read.getValue(), b, b.length, got, null) ? -got.getValue() : k.GetLastError();
      });
      try {
        assertEquals(109 /* ERROR_BROKEN_PIPE */, eof.get(20, TimeUnit.SECONDS).intValue());
      } catch (TimeoutException e) {
        throw new AssertionError("the job inherited the agent's canary handle: no end of file while it runs");
      }
    } finally {
      k.CloseHandle(read.getValue());
    }
  }

  /** Finding 9: a descendant holding stdout open cannot keep a blocked read (and Exit) waiting. */
  @Test
  void aBlockedReadIsCancelledWhileADescendantHoldsThePipe() throws Exception {
    JobProcess p = start(JobLimits.NONE, "start /b ping -n 600 127.0.0.1 & exit /b 7", Map.of());
    assertTrue(p.waitFor(DEADLINE.toMillis()));
    assertEquals(7, p.exitCode());
    Future<String> out = drain(p.stdout());
    Thread.sleep(500); // let the drain block in ReadFile (the ping writes a line a second)
    assertFalse(out.isDone(), "the descendant should still hold stdout open");
    p.stdout().close();
    out.get(20, TimeUnit.SECONDS); // fails with a timeout when the blocked ReadFile is not cancelled
    assertEquals(List.of(), p.killTree(DEADLINE));
  }

  /** The environment block: the job's variables over the agent's, names compared as Windows does. */
  @Test
  void theJobsEnvironmentOverlaysTheAgents() throws Exception {
    JobProcess p = start(JobLimits.NONE, "echo [%SANDBOXKIT_IT%][%PATH%][%SystemRoot%]",
        Map.of("SANDBOXKIT_IT", "a b=c", "path", "C:\\sandboxkit-it"));
    Future<String> out = drain(p.stdout());
    assertTrue(p.waitFor(DEADLINE.toMillis()));
    String text = out.get(30, TimeUnit.SECONDS).trim();
    assertEquals("[a b=c][C:\\sandboxkit-it][" + System.getenv("SystemRoot") + "]", text);
  }

  @Test
  void withoutAnEnvironmentTheJobInheritsTheAgents() throws Exception {
    JobProcess p = start(JobLimits.NONE, "echo [%SystemRoot%]", Map.of());
    Future<String> out = drain(p.stdout());
    assertTrue(p.waitFor(DEADLINE.toMillis()));
    assertEquals("[" + System.getenv("SystemRoot") + "]", out.get(30, TimeUnit.SECONDS).trim());
  }

  /**
   * ActiveProcessLimit. The number of processes a shell running one ping takes in a job (cmd.exe,
   * the ping, and conhost.exe when Windows puts it in the job) is measured first; one fewer refuses
   * the ping, exactly that many admits it.
   */
  @Test
  void theProcessLimitRefusesOneProcessTooMany() throws Exception {
    JobProcess baseline = start(JobLimits.NONE, LONG, Map.of());
    treeOf(baseline.pid(), 2);
    int n = ((WindowsJob) baseline).activeProcessCount();
    assertTrue(n >= 2, "active processes of a shell and a ping: " + n);
    baseline.killTree(DEADLINE);
    String script = "ping -n 1 127.0.0.1 > nul && echo started || echo refused";
    JobProcess limited = start(new JobLimits(n - 1, 0), script, Map.of());
    Future<String> out = drain(limited.stdout());
    drain(limited.stderr());
    assertTrue(limited.waitFor(DEADLINE.toMillis()));
    assertEquals("refused", out.get(30, TimeUnit.SECONDS).trim());
    JobProcess enough = start(new JobLimits(n, 0), script, Map.of());
    Future<String> enoughOut = drain(enough.stdout());
    drain(enough.stderr());
    assertTrue(enough.waitFor(DEADLINE.toMillis()));
    assertEquals("started", enoughOut.get(30, TimeUnit.SECONDS).trim());
  }

  /** JobMemoryLimit: a JVM that commits a 512 MiB heap up front fails under a 256 MiB job limit. */
  @Test
  void theMemoryLimitBoundsTheJobsCommit() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java.exe").toString();
    String script = "\"" + java + "\" -Xms512m -Xmx512m -XX:+AlwaysPreTouch -version";
    JobProcess limited = start(new JobLimits(0, 256L << 20), script, Map.of());
    drain(limited.stdout());
    drain(limited.stderr());
    assertTrue(limited.waitFor(DEADLINE.toMillis()));
    assertTrue(limited.exitCode() != 0, "a 512 MiB heap fit in a 256 MiB job");
    JobProcess free = start(new JobLimits(0, 1L << 30), script, Map.of());
    drain(free.stdout());
    drain(free.stderr());
    assertTrue(free.waitFor(DEADLINE.toMillis()));
    assertEquals(0, free.exitCode(), "a 512 MiB heap did not fit in a 1 GiB job");
  }

  /** The main process and at least {@code size - 1} descendants, waited for with a deadline. */
  static List<ProcessHandle> treeOf(long pid, int size) throws InterruptedException {
    ProcessHandle main = ProcessHandle.of(pid).orElseThrow();
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (true) {
      List<ProcessHandle> tree = new ArrayList<>();
      tree.add(main);
      main.descendants().forEach(tree::add);
      if (tree.size() >= size) {
        return tree;
      }
      if (System.nanoTime() - end > 0) {
        throw new AssertionError("the job's tree never reached " + size + " processes: " + tree);
      }
      Thread.sleep(50);
    }
  }

  static boolean awaitDeath(ProcessHandle h) {
    try {
      h.onExit().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
      return true;
    } catch (Exception e) {
      return !h.isAlive();
    }
  }
}
