package dev.sandboxkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.cli.session.SessionStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The session verbs and mxc phases up to the point where a daemon would be needed. */
class SessionVerbsTest {
  @TempDir
  Path tmp;
  private Path root;
  private final Cli cli = new Cli();

  @BeforeEach
  void setUp() {
    root = tmp.resolve("sessions");
    System.setProperty(SessionStore.PROPERTY, root.toString());
  }

  @AfterEach
  void tearDown() {
    System.clearProperty(SessionStore.PROPERTY);
  }

  private long files() throws Exception {
    if (!Files.exists(root)) {
      return 0;
    }
    try (Stream<Path> s = Files.walk(root)) {
      return s.count();
    }
  }

  @Test
  void execOfAMalformedIdIs125AndTouchesNothing() throws Exception {
    for (String bad : new String[] {"../x", "DEADBEEF", "a/b"}) {
      Cli c = new Cli();
      assertEquals(125, c.execute("exec", bad, "--", "true"), bad);
      assertTrue(c.err().startsWith("sandboxkit: not a sandbox id or name: "), c.err());
      assertEquals("", c.out());
    }
    assertEquals(0, files());
  }

  @Test
  void execAndStopOfAnUnknownSandboxAre125() {
    assertEquals(125, cli.execute("exec", "deadbeef", "--", "true"));
    assertTrue(cli.err().contains("no sandbox deadbeef"), cli.err());
    Cli c = new Cli();
    assertEquals(125, c.execute("stop", "build"));
    assertTrue(c.err().contains("no sandbox build"), c.err());
  }

  @Test
  void execUsageErrors() {
    assertEquals(125, cli.execute("exec", "deadbeef"));
    assertTrue(cli.err().contains("no command to run"), cli.err());
    Cli c = new Cli();
    assertEquals(125, c.execute("exec", "--env", "=x", "deadbeef", "--", "true"));
    assertTrue(c.err().contains("is not KEY=VALUE"), c.err());
    Cli p = new Cli();
    assertEquals(125, p.execute("exec", "--env-pass", "SANDBOXKIT_SURELY_UNSET_VAR", "deadbeef", "--", "true"));
    assertTrue(p.err().contains("the variable is not set on the host"), p.err());
    Cli d = new Cli();
    assertEquals(125, d.execute("exec"));
    assertTrue(d.err().contains("no sandbox given"), d.err());
  }

  @Test
  void startRefusesBadNamesNetworksAndMappingsOfTheStateFolder() throws Exception {
    assertEquals(125, cli.execute("start", "--name", "DEADBEEF"));
    assertTrue(cli.err().contains("invalid --name"), cli.err());
    Cli c = new Cli();
    assertEquals(125, c.execute("start", "--network", "maybe"));
    assertTrue(c.err().contains("invalid --network"), c.err());
    Files.createDirectories(root);
    Cli d = new Cli();
    assertEquals(125, d.execute("start", "--ro", tmp.toString()));
    Cli e = new Cli();
    assertEquals(125, e.execute("start", "--memory", "lots"));
    assertTrue(e.err().contains("invalid --memory 'lots'"), e.err());
    Cli f = new Cli();
    assertEquals(125, f.execute("start", "--pids", "4"));
    assertTrue(f.err().contains("invalid limit"), f.err());
    assertTrue(d.err().contains("holds sandboxkit's session state"), d.err());
    assertEquals(1, files(), "nothing created");
  }

  @Test
  void lsOfNothing() {
    assertEquals(0, cli.execute("ls", "--json"));
    assertEquals("[]\n", cli.out());
    Cli c = new Cli();
    assertEquals(0, c.execute("ls"));
    assertTrue(c.out().startsWith("ID "), c.out());
  }

  private Cli phase(String json) {
    Cli c = new Cli();
    c.execute("run", "--config-base64", Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)));
    return c;
  }

  private static String code(Cli c) {
    String o = c.out();
    int i = o.indexOf("\"code\":\"");
    return i < 0 ? o : o.substring(i + 8, o.indexOf('"', i + 8));
  }

  @Test
  void phaseErrorsAreEnvelopesWithMxcCodes() throws Exception {
    assertEquals("unsupported_phase", code(phase("{\"phase\":\"reboot\"}")));
    assertEquals("malformed_request", code(phase("{\"phase\":null}")));
    assertEquals("malformed_request", code(phase("{\"phase\":\"start\"}")));
    assertEquals("malformed_request", code(phase("{\"phase\":\"start\",\"sandboxId\":\"wsb:deadbeef\",\"containment\":\"vm\"}")));
    assertEquals("malformed_request", code(phase("{\"phase\":\"provision\",\"containment\":\"vm\",\"sandboxId\":\"wsb:deadbeef\"}")));
    assertEquals("malformed_request", code(phase("{\"phase\":\"provision\"}")));
    assertEquals("malformed_request", code(phase("{\"phase\":\"start\",\"sandboxId\":\"wsb:deadbeef\",\"lifecycle\":{}}")));
    assertEquals("malformed_request", code(phase("{\"phase\":\"start\",\"sandboxId\":\"wsb:deadbeef\",\"bogus\":1}")));
    assertEquals("unsupported_containment", code(phase("{\"phase\":\"provision\",\"containment\":\"lxc\"}")));
    for (String id : new String[] {"wsb:DEADBEEF", "wsb:../../etc", "iso:deadbeef", "wsb:dead", "deadbeef"}) {
      assertEquals("malformed_id", code(phase("{\"phase\":\"start\",\"sandboxId\":\"" + id + "\"}")), id);
    }
    assertEquals("not_provisioned", code(phase("{\"phase\":\"start\",\"sandboxId\":\"wsb:deadbeef\"}")));
    assertEquals("not_provisioned", code(phase("{\"phase\":\"stop\",\"sandboxId\":\"wsb:deadbeef\"}")));
    assertEquals("not_provisioned", code(phase("{\"phase\":\"deprovision\",\"sandboxId\":\"wsb:deadbeef\"}")));
    assertEquals("not_started", code(phase("{\"phase\":\"exec\",\"sandboxId\":\"wsb:deadbeef\",\"process\":{\"commandLine\":\"true\"}}")));
    assertEquals("policy_validation", code(phase("{\"phase\":\"exec\",\"sandboxId\":\"wsb:deadbeef\",\"network\":{\"defaultPolicy\":\"allow\"}}")));
    assertEquals("policy_validation", code(phase("{\"phase\":\"provision\",\"containment\":\"vm\",\"filesystem\":{\"readwritePaths\":[\"/does/not/exist\"]}}")));
    assertEquals("policy_validation", code(phase("{\"phase\":\"provision\",\"containment\":\"vm\",\"network\":{\"allowedHosts\":[\"a.com\"]}}")));
    assertEquals(1, new Cli().execute("run", "--config-base64",
        Base64.getEncoder().encodeToString("{\"phase\":\"start\"}".getBytes(StandardCharsets.UTF_8))));
    assertTrue(!Files.exists(root) || files() <= 2, "no session was created");
  }

  @Test
  void provisionStopExecDeprovisionWithoutAStart() throws Exception {
    Path work = Files.createDirectory(tmp.resolve("work"));
    Cli p = phase("{\"phase\":\"provision\",\"containment\":\"windows_sandbox\",\"filesystem\":{\"readwritePaths\":[\""
        + work + "\"]}}");
    assertTrue(p.out().matches("\\{\"result\":\\{\"sandboxId\":\"wsb:[0-9a-f]{8}\"}}\\n"), p.out() + p.err());
    String sid = p.out().substring(p.out().indexOf("wsb:"), p.out().indexOf("wsb:") + 12);
    String ref = "\"sandboxId\":\"" + sid + "\"";
    assertTrue(Files.readString(root.resolve(sid.substring(4)).resolve("record.json")).contains(work.toString()),
        "the policy is fixed in the record");
    assertEquals("already_stopped", code(phase("{\"phase\":\"stop\"," + ref + "}")));
    assertEquals("not_started", code(phase("{\"phase\":\"exec\"," + ref + ",\"process\":{\"commandLine\":\"true\"}}")));
    assertEquals("{\"result\":{}}\n", phase("{\"phase\":\"deprovision\"," + ref + "}").out());
    assertTrue(!Files.exists(root.resolve(sid.substring(4))), "deprovision removes the folder");
    assertEquals("not_provisioned", code(phase("{\"phase\":\"deprovision\"," + ref + "}")));
  }
}
