package dev.sandboxkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.cli.session.DaemonInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Sessions end to end on bubblewrap through the built jar: start/exec/stop/ls, the daemon, mxc phases. */
@Timeout(300)
class SessionProcessIT {
  private CliProcess cli;

  @BeforeEach
  void setUp() throws Exception {
    cli = new CliProcess();
  }

  @AfterEach
  void tearDown() throws Exception {
    // our own daemons only (found by their records under this test's temp root)
    for (Path d : sessionDirs()) {
      Path log = d.resolve("daemon.log");
      if (Files.exists(log)) { // for a failure's diagnosis
        System.err.println("--- " + log + "\n" + Files.readString(log));
      }
      Path info = d.resolve("daemon.json");
      if (Files.exists(info)) {
        DaemonInfo.parse(Files.readAllBytes(info)).handle().ifPresent(h -> {
          h.destroy();
          h.onExit().orTimeout(20, TimeUnit.SECONDS).exceptionally(t -> null).join();
        });
      }
    }
    cli.delete();
  }

  private Path sessionsRoot() throws IOException {
    try (Stream<Path> s = Files.list(cli.tmp)) {
      return s.filter(p -> p.getFileName().toString().startsWith("sandboxkit")).findFirst()
          .map(p -> p.resolve("sessions")).orElse(cli.tmp.resolve("none"));
    }
  }

  private List<Path> sessionDirs() throws IOException {
    Path root = sessionsRoot();
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(root)) {
      return s.filter(p -> p.getFileName().toString().matches("[0-9a-f]{8}")).toList();
    }
  }

  private String start(String... opts) throws Exception {
    List<String> args = new ArrayList<>(List.of("start"));
    args.addAll(List.of(opts));
    CliProcess.Result r = cli.run(args.toArray(String[]::new));
    assertEquals(0, r.exit(), r.stderr());
    String id = r.stdout().strip();
    assertTrue(id.matches("[0-9a-f]{8}"), id);
    return id;
  }

  @Test
  void startExecStop() throws Exception {
    String id = start("--name", "build", "--tmp-size", "64m");
    CliProcess.Result df = cli.run("exec", id, "--", "sh", "-c", "df -k /tmp | tail -1");
    assertTrue(df.stdout().contains(" 65536 "), "the limit given to start holds: " + df.stdout() + df.stderr());
    CliProcess.Result w = cli.run("exec", id, "--", "sh", "-c", "echo kept > /tmp/f");
    assertEquals(0, w.exit(), w.stderr());
    CliProcess.Result r = cli.run("exec", "build", "--", "cat", "/tmp/f");
    assertEquals("kept\n", r.stdout(), "state persists between executions: " + r.stderr());
    assertEquals(3, cli.run("exec", id, "--", "sh", "-c", "exit 3").exit());
    assertEquals("data", cli.runWithStdin("data".getBytes(StandardCharsets.UTF_8), "exec", id, "--", "cat").stdout());
    assertEquals("hi there\n", cli.run("exec", "--env", "G=hi there", id, "--", "sh", "-c", "echo \"$G\"").stdout());
    CliProcess.Result t = cli.run("exec", "--timeout", "500ms", id, "--", "sleep", "30");
    assertEquals(124, t.exit(), t.stderr());
    assertEquals("after\n", cli.run("exec", id, "--", "echo", "after").stdout(), "usable after a timeout");
    CliProcess.Result ls = cli.run("ls");
    assertTrue(ls.stdout().contains(id) && ls.stdout().contains("build") && ls.stdout().contains("running"), ls.stdout());
    CliProcess.Result j = cli.run("exec", "--json", id, "--", "echo", "j");
    assertTrue(j.stdout().startsWith("{\"exit_code\":0,\"stdout\":\"j\\n\""), j.stdout());
    // exec --json holds at most --json-limit per stream and says what it cut (as run --json)
    CliProcess.Result big = cli.run("exec", "--json", "--json-limit", "1k", id, "--", "head", "-c", "100000", "/dev/zero");
    assertEquals(0, big.exit(), big.stderr());
    com.fasterxml.jackson.databind.JsonNode n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(big.stdout());
    assertEquals(1024, n.get("stdout").asText().length(), big.stdout());
    assertTrue(n.get("stdout_truncated").asBoolean() && !n.get("stderr_truncated").asBoolean(), big.stdout());
    assertEquals(0, n.get("exit_code").asInt());
    CliProcess.Result strict = cli.run("exec", "--json", "--json-limit", "1k", "--fail-on-truncation", id, "--",
        "head", "-c", "100000", "/dev/zero");
    assertEquals(122, strict.exit(), strict.stderr());
    assertTrue(strict.stderr().contains("exceeded --json-limit (1024 bytes)"), strict.stderr());
    CliProcess.Result noJson = cli.run("exec", "--json-limit", "1k", id, "--", "true");
    assertEquals(125, noJson.exit());
    assertTrue(noJson.stderr().contains("--json-limit only applies to --json"), noJson.stderr());
    assertEquals(0, cli.run("stop", "build").exit());
    assertFalse(cli.run("ls").stdout().contains(id));
    CliProcess.Result gone = cli.run("exec", id, "--", "true");
    assertEquals(125, gone.exit());
    assertTrue(gone.stderr().contains("no sandbox " + id), gone.stderr());
  }

  @Test
  void twoExecsAtOnceFollowTheBusyRuleWithNoCrossedOutput() throws Exception {
    String id = start();
    Path out = cli.tmp.resolve("first.out");
    Path err = cli.tmp.resolve("first.err");
    Process first = cli.start(out, err, "exec", id, "--", "sh", "-c", "echo started; sleep 3; echo first");
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.readString(out).contains("started") && System.nanoTime() < end) {
      Thread.sleep(10);
    }
    CliProcess.Result second = cli.run("exec", id, "--", "echo", "second");
    assertEquals(125, second.exit());
    assertTrue(second.stderr().contains("is busy"), second.stderr());
    assertEquals("", second.stdout());
    assertTrue(first.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, first.exitValue());
    assertEquals("started\nfirst\n", Files.readString(out));
    assertEquals("second\n", cli.run("exec", id, "--", "echo", "second").stdout());
    assertEquals(0, cli.run("stop", id).exit());
  }

  @Test
  void killingTheDaemonKillsItsSandboxAndLsAndCleanupReportIt() throws Exception {
    String id = start();
    Path dir = sessionsRoot().resolve(id);
    DaemonInfo info = DaemonInfo.parse(Files.readAllBytes(dir.resolve("daemon.json")));
    ProcessHandle daemon = info.handle().orElseThrow();
    Path out = cli.tmp.resolve("k.out");
    Process exec = cli.start(out, cli.tmp.resolve("k.err"), "exec", id, "--", "sh", "-c", "echo up; sleep 60");
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.readString(out).contains("up") && System.nanoTime() < end) {
      Thread.sleep(10);
    }
    List<ProcessHandle> sandbox = daemon.descendants().toList();
    assertFalse(sandbox.isEmpty(), "the sandbox runs under the daemon");
    daemon.destroyForcibly();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
    while (sandbox.stream().anyMatch(SessionProcessIT::runs) && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertTrue(sandbox.stream().noneMatch(SessionProcessIT::runs), "no sandbox process 1 s after kill -9");
    assertTrue(exec.waitFor(60, TimeUnit.SECONDS));
    assertEquals(126, exec.exitValue(), "the exec reports the cut-off");
    CliProcess.Result ls = cli.run("ls");
    assertTrue(ls.stdout().contains(id) && ls.stdout().contains("gone"), ls.stdout());
    CliProcess.Result c = cli.run("cleanup");
    assertEquals(0, c.exit(), c.stderr());
    assertTrue(c.stdout().contains("removed session " + id), c.stdout());
    assertFalse(cli.run("ls").stdout().contains(id));
    assertEquals(List.of(), cli.runDirs(), "the library's run dir is gone too");
  }

  /**
   * True while {@code p} runs. An exited process the machine's init has not reaped yet (a zombie,
   * state Z or X) runs nothing; ProcessHandle still calls it alive (this container's init reaps
   * orphans up to ~1.5 s late).
   */
  static boolean runs(ProcessHandle p) {
    if (!p.isAlive()) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (IOException | RuntimeException e) {
      return false; // gone while we looked
    }
  }

  private static void waitFor(Path file, String text) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.readString(file).contains(text)) {
      assertTrue(System.nanoTime() < end, "no '" + text + "' in " + file + " within 60 s");
      Thread.sleep(10);
    }
  }

  private static void signal(String sig, long pid) throws Exception {
    Process k = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start();
    assertTrue(k.waitFor(10, TimeUnit.SECONDS));
    assertEquals(0, k.exitValue());
  }

  /** Names of the processes under the daemon of {@code id} that run (the sandbox's, not zombies). */
  private List<String> sandboxCommands(String id) throws Exception {
    DaemonInfo info = DaemonInfo.parse(Files.readAllBytes(sessionsRoot().resolve(id).resolve("daemon.json")));
    return info.handle().orElseThrow().descendants().filter(SessionProcessIT::runs)
        .map(h -> h.info().commandLine().orElse("?")).toList();
  }

  @Test
  void ctrlCOnExecCancelsThatExecutionOnlyAnd130() throws Exception {
    String id = start();
    Path out = cli.tmp.resolve("c.out");
    Process exec = cli.start(out, cli.tmp.resolve("c.err"), "exec", id, "--", "sh", "-c", "echo up; exec sleep 97");
    waitFor(out, "up");
    assertTrue(sandboxCommands(id).stream().anyMatch(c -> c.contains("sleep 97")), sandboxCommands(id).toString());
    signal("INT", exec.pid());
    assertTrue(exec.waitFor(60, TimeUnit.SECONDS), "the client ends after Ctrl-C");
    assertEquals(130, exec.exitValue(), Files.readString(cli.tmp.resolve("c.err")));
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (sandboxCommands(id).stream().anyMatch(c -> c.contains("sleep 97")) && System.nanoTime() < end) {
      Thread.sleep(10);
    }
    assertFalse(sandboxCommands(id).stream().anyMatch(c -> c.contains("sleep 97")), "the cancelled command is gone");
    CliProcess.Result after = cli.run("exec", id, "--", "echo", "still-up");
    assertEquals("still-up\n", after.stdout(), "the sandbox stays up: " + after.stderr());
    assertEquals(0, cli.run("stop", id).exit());
  }

  @Test
  void aClosedDownstreamPipeEndsTheExecWith141AndTheSandboxStaysUp() throws Exception {
    String id = start();
    List<String> cmd = new ArrayList<>(List.of("bash", "-c", "\"$@\" | head -c 10 >/dev/null; echo \"${PIPESTATUS[0]}\"", "_"));
    cmd.addAll(cli.javaCommand("exec", id, "--", "yes"));
    CliProcess.Result r = cli.exec(cmd, null, Map.of());
    assertEquals("141\n", r.stdout(), r.stderr());
    assertEquals("", r.stderr(), "quietly, as a shell pipeline ends");
    assertEquals("again\n", cli.run("exec", id, "--", "echo", "again").stdout());
    assertEquals(0, cli.run("stop", id).exit());
  }

  @Test
  void theIdleTimeoutStopsAnUnusedSandbox() throws Exception {
    String id = start("--idle-timeout", "2s");
    assertEquals("used\n", cli.run("exec", id, "--", "echo", "used").stdout());
    Path info = sessionsRoot().resolve(id).resolve("daemon.json");
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (DaemonInfo.parse(Files.readAllBytes(info)).alive() && System.nanoTime() < end) {
      Thread.sleep(50);
    }
    DaemonInfo d = DaemonInfo.parse(Files.readAllBytes(info));
    assertFalse(d.alive(), "the daemon ended after 2 s idle");
    assertEquals(DaemonInfo.CONFIRMED, d.teardown(), "its sandbox is confirmed gone");
    assertTrue(Files.readString(sessionsRoot().resolve(id).resolve("daemon.log")).contains("(idle timeout)"));
    CliProcess.Result ls = cli.run("ls");
    assertTrue(ls.stdout().contains(id) && ls.stdout().contains("stopped"), ls.stdout());
    CliProcess.Result e = cli.run("exec", id, "--", "true");
    assertEquals(125, e.exit());
    assertTrue(e.stderr().contains("is not running"), e.stderr());
    assertEquals(List.of(), cli.runDirs(), "the library's run dir is gone");
    assertEquals(0, cli.run("stop", id).exit());
    assertFalse(cli.run("ls").stdout().contains(id));
  }

  @Test
  void theDaemonRefusesWrongSecretsOversizedLinesAndBodiesAndOtherUsers() throws Exception {
    String id = start();
    Path dir = sessionsRoot().resolve(id);
    assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(dir.resolve("secret"))));
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(dir.resolve("daemon.sock"))));
    String secret = Files.readString(dir.resolve("secret")).strip();
    String wrong = "ab".repeat(32);
    dev.sandboxkit.cli.session.DaemonClient bad = new dev.sandboxkit.cli.session.DaemonClient(dir.resolve("daemon.sock"), wrong);
    dev.sandboxkit.cli.session.DaemonClient.Refused refused =
        org.junit.jupiter.api.Assertions.assertThrows(dev.sandboxkit.cli.session.DaemonClient.Refused.class,
            () -> bad.request("STOP", ""));
    assertEquals("auth", refused.reason());
    assertEquals("request too large", raw(dir, ("PING " + secret + " " + "x".repeat(1100) + "\n").getBytes(StandardCharsets.US_ASCII)));
    byte[] line = ("EXEC " + secret + " 1\n").getBytes(StandardCharsets.US_ASCII);
    byte[] huge = new byte[line.length + 4];
    System.arraycopy(line, 0, huge, 0, line.length);
    int n = (1 << 20) + 1;
    huge[line.length] = (byte) n;
    huge[line.length + 1] = (byte) (n >>> 8);
    huge[line.length + 2] = (byte) (n >>> 16);
    huge[line.length + 3] = (byte) (n >>> 24);
    assertTrue(raw(dir, huge).startsWith("bad request: request of 1048577 bytes is over the limit"));
    String log = Files.readString(dir.resolve("daemon.log"));
    assertTrue(log.contains("refused a request (STOP) with a wrong or missing secret"), log);
    assertFalse(log.contains(wrong) || log.contains(secret), "no secret in the log");
    // another local user: the folder is 0700, so neither the secret nor the socket can be reached
    Path setpriv = Path.of("/usr/bin/setpriv");
    if (ProcessHandle.current().info().user().orElse("").equals("root") && Files.isExecutable(setpriv)) {
      CliProcess.Result other = cli.exec(List.of(setpriv.toString(), "--reuid=65534", "--regid=65534", "--clear-groups",
          "sh", "-c", "cat '" + dir.resolve("secret") + "' || echo no-secret; [ -e '" + dir.resolve("daemon.sock")
              + "' ] && echo sock-visible || echo no-sock"), null, Map.of());
      assertEquals("no-secret\nno-sock\n", other.stdout(), other.stderr());
    }
    assertEquals("ok\n", cli.run("exec", id, "--", "echo", "ok").stdout(), "the daemon still serves");
    assertEquals(0, cli.run("stop", id).exit());
  }

  /** Sends {@code bytes} on a fresh connection; the daemon's ERR reason. */
  private static String raw(Path dir, byte[] bytes) throws Exception {
    try (java.nio.channels.SocketChannel ch = java.nio.channels.SocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
      ch.connect(java.net.UnixDomainSocketAddress.of(dir.resolve("daemon.sock")));
      java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      java.io.InputStream in = java.nio.channels.Channels.newInputStream(ch);
      String reply = new String(in.readNBytes(200), StandardCharsets.UTF_8);
      assertTrue(reply.startsWith("ERR "), reply);
      return reply.substring(4).strip();
    }
  }

  /**
   * The launcher rebuilds sandboxkit.jar in place when a source changes; a daemon started from it
   * reads classes lazily, and used to die in its sandbox's teardown with NoClassDefFoundError.
   */
  @Test
  void aRebuildOfTheJarUnderARunningDaemonBreaksNothing() throws Exception {
    Path jar = Files.copy(CliProcess.CLI_JAR, cli.tmp.resolve("sandboxkit.jar"));
    List<String> startCmd = new ArrayList<>(cli.javaCommand("start"));
    startCmd.set(startCmd.indexOf(CliProcess.CLI_JAR.toString()), jar.toString());
    CliProcess.Result r = cli.exec(startCmd, null, Map.of());
    assertEquals(0, r.exit(), r.stderr());
    String id = r.stdout().strip();
    try (java.nio.channels.FileChannel f = java.nio.channels.FileChannel.open(jar, java.nio.file.StandardOpenOption.WRITE)) {
      f.truncate(1000); // rewritten in place, as a rebuild does
    }
    assertEquals("after-rebuild\n", cli.run("exec", id, "--", "echo", "after-rebuild").stdout());
    CliProcess.Result stop = cli.run("stop", id);
    assertEquals(0, stop.exit(), stop.stderr());
    assertFalse(cli.run("ls").stdout().contains(id));
    assertEquals(List.of(), cli.runDirs(), "the sandbox was torn down");
  }

  @Test
  void malformedIdsAreRefusedAndTouchNoFile() throws Exception {
    String id = start();
    List<String> before = tree();
    for (String bad : List.of("../x", "DEADBEEF", "../" + id, "a".repeat(129), "/etc/passwd")) {
      CliProcess.Result r = cli.run("exec", bad, "--", "true");
      assertEquals(125, r.exit(), bad);
      assertTrue(r.stderr().contains("not a sandbox id or name"), r.stderr());
      assertEquals(125, cli.run("stop", bad).exit());
    }
    CliProcess.Result unknown = cli.run("stop", "deadbeef".equals(id) ? "00000000" : "deadbeef");
    assertEquals(125, unknown.exit());
    assertTrue(unknown.stderr().contains("no sandbox"), unknown.stderr());
    assertEquals(before, tree());
    assertEquals(0, cli.run("stop", id).exit());
  }

  private List<String> tree() throws IOException {
    try (Stream<Path> s = Files.walk(sessionsRoot())) {
      List<String> out = new ArrayList<>();
      for (Path p : s.sorted().toList()) {
        if (!p.getFileName().toString().equals("daemon.log")) {
          out.add(p + "@" + Files.getLastModifiedTime(p).toMillis());
        }
      }
      return out;
    }
  }

  @Test
  void theWorkloadCannotReachTheDaemonSocket() throws Exception {
    String id = start();
    Path sock = sessionsRoot().resolve(id).resolve("daemon.sock");
    assertTrue(Files.exists(sock));
    CliProcess.Result r = cli.run("exec", id, "--", "sh", "-c",
        "if [ -e '" + sock + "' ] || [ -e '" + sessionsRoot() + "' ]; then echo visible; else echo hidden; fi");
    assertEquals("hidden\n", r.stdout(), r.stderr());
    CliProcess.Result mapped = cli.run("start", "--rw", sessionsRoot().getParent().toString());
    assertEquals(125, mapped.exit());
    assertTrue(mapped.stderr().contains("holds sandboxkit's session state"), mapped.stderr());
    assertEquals(0, cli.run("stop", id).exit());
  }

  private CliProcess.Result phase(String json, String... cmd) throws Exception {
    List<String> args = new ArrayList<>(List.of("run", "--config-base64",
        Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8))));
    if (cmd.length > 0) {
      args.add("--");
      args.addAll(List.of(cmd));
    }
    return cli.exec(cli.javaCommand(args.toArray(String[]::new)), null, Map.of());
  }

  @Test
  void mxcStateAwareSequence() throws Exception {
    CliProcess.Result p = phase("{\"phase\":\"provision\",\"containment\":\"windows_sandbox\"}");
    assertEquals(0, p.exit(), p.stdout() + p.stderr());
    assertTrue(p.stdout().matches("\\{\"result\":\\{\"sandboxId\":\"wsb:[0-9a-f]{8}\"}}\\n"), p.stdout());
    String sid = p.stdout().substring(p.stdout().indexOf("wsb:"), p.stdout().indexOf("wsb:") + 12);
    String ref = "\"sandboxId\":\"" + sid + "\"";
    CliProcess.Result s = phase("{\"phase\":\"start\"," + ref + "}");
    assertEquals("{\"result\":{}}\n", s.stdout(), s.stderr());
    assertEquals("{\"error\":{\"code\":\"already_started\",\"message\":\"sandbox " + sid + " is already started\"}}\n",
        phase("{\"phase\":\"start\"," + ref + "}").stdout());
    CliProcess.Result e1 = phase("{\"phase\":\"exec\"," + ref + ",\"process\":{\"commandLine\":\"echo hello-from-wsb\"}}");
    assertEquals("hello-from-wsb\n", e1.stdout(), e1.stderr());
    assertEquals(0, e1.exit());
    assertEquals("second-exec\n", phase("{\"phase\":\"exec\"," + ref + ",\"process\":{\"commandLine\":\"echo second-exec\"}}").stdout());
    assertEquals(7, phase("{\"phase\":\"exec\"," + ref + ",\"process\":{\"commandLine\":\"exit 7\"}}").exit());
    CliProcess.Result to = phase("{\"phase\":\"exec\"," + ref + ",\"process\":{\"commandLine\":\"sleep 30\",\"timeout\":500}}");
    assertEquals(124, to.exit(), "B9: a timed-out exec is exit 124: " + to.stdout() + to.stderr());
    assertEquals("", to.stdout());
    assertEquals("post-timeout-still-alive\n",
        phase("{\"phase\":\"exec\"," + ref + ",\"process\":{\"commandLine\":\"echo post-timeout-still-alive\"}}").stdout());
    assertEquals("{\"error\":{\"code\":\"policy_validation\",\"message\":\"filesystem/network policy is fixed at "
        + "provision; it cannot be supplied or changed on a later phase\"}}\n",
        phase("{\"phase\":\"exec\"," + ref + ",\"filesystem\":{\"readwritePaths\":[\"/tmp\"]},\"process\":{\"commandLine\":\"true\"}}").stdout());
    assertEquals("{\"result\":{}}\n", phase("{\"phase\":\"stop\"," + ref + "}").stdout());
    assertEquals("already_stopped", code(phase("{\"phase\":\"stop\"," + ref + "}")));
    assertEquals("not_started", code(phase("{\"phase\":\"exec\"," + ref + ",\"process\":{\"commandLine\":\"true\"}}")));
    assertEquals("{\"result\":{}}\n", phase("{\"phase\":\"deprovision\"," + ref + "}").stdout());
    assertEquals("not_provisioned", code(phase("{\"phase\":\"start\"," + ref + "}")));
    assertEquals("malformed_id", code(phase("{\"phase\":\"start\",\"sandboxId\":\"wsb:../../x\"}")));
    assertEquals("malformed_id", code(phase("{\"phase\":\"start\",\"sandboxId\":\"wsb:DEADBEEF\"}")));
    assertEquals(List.of(), sessionDirs());
  }

  private static String code(CliProcess.Result r) {
    assertEquals(1, r.exit(), r.stdout());
    int i = r.stdout().indexOf("\"code\":\"");
    return r.stdout().substring(i + 8, r.stdout().indexOf('"', i + 8));
  }
}
