package dev.sandboxkit.lifecycle;

import dev.sandboxkit.*;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The planner's mounts in a real bwrap sandbox (issue 15.2, 13.12, 14.5): masking inside mappings,
 * punch-through, nesting, single files, denied paths the driver binds, and the planted-link attack.
 */
@EnabledIfBubblewrapAvailable
@Timeout(180)
class MappingEndToEndTest {
  @TempDir Path temp;
  Path state;
  Path w;
  OneShotRunner runner;

  @RegisterExtension
  final NoLeaksExtension noLeaks = NoLeaksExtension.withStateRoot(() -> state).waiting(Duration.ofSeconds(10));

  @BeforeEach
  void setUp() throws IOException {
    state = Files.createDirectories(temp.resolve("state"));
    w = Files.createDirectories(temp.resolve("w")).toRealPath();
    // the workload may run as another uid (root host): let it traverse and write the work folder
    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(w, PosixFilePermissions.fromString("rwxrwxrwx"));
    runner = OneShotRunner.builder(SandboxDrivers.byName("bubblewrap")).stateRoot(state).build();
  }

  ExecutionResult run(SandboxPolicy policy, String command) {
    return OneShotRunner.builder(SandboxDrivers.byName("bubblewrap")).stateRoot(state).policy(policy).build()
        .run(ExecutionRequest.builder(command).build());
  }

  static ExecutionResult ok(ExecutionResult r) {
    assertEquals(FailurePhase.NONE, r.failurePhase(), r + " " + r.extendedError() + " stderr: " + r.stderrText());
    return r;
  }

  Path file(String rel, String content) throws IOException {
    Path f = w.resolve(rel);
    Files.createDirectories(f.getParent());
    for (Path p = f.getParent(); !p.equals(w); p = p.getParent()) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxrwxrwx"));
    }
    Files.writeString(f, content);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-rw-rw-"));
    return f;
  }

  @Test
  void deniedFileIsEmptyAndStillAFileWhileItsSiblingIsReadable() throws Exception {
    Path secret = file("key.pem", "PRIVATE");
    file("readme.txt", "visible");
    ExecutionResult r = ok(run(SandboxPolicy.builder().readOnly(w).deny(secret).build(),
        "cat " + w + "/readme.txt; echo; test -f " + secret + " && echo file; wc -c < " + secret
            + "; echo x > " + secret + " 2>/dev/null || echo refused"));
    assertEquals("visible\nfile\n0\nrefused\n", r.stdoutText());
    assertEquals("PRIVATE", Files.readString(secret), "the host file is untouched");
  }

  @Test
  void deniedFolderIsEmptyAndReadOnlyDeepUnderAWritableParent() throws Exception {
    file("a/b/c/secret/data.txt", "PRIVATE");
    file("a/b/c/sibling.txt", "visible");
    Path secret = w.resolve("a/b/c/secret");
    ExecutionResult r = ok(run(SandboxPolicy.builder().readWrite(w).deny(secret).build(),
        "ls -A " + secret + " | wc -l; cat " + w + "/a/b/c/sibling.txt; echo; touch " + secret
            + "/new 2>/dev/null || echo refused; echo out > " + w + "/written.txt"));
    assertEquals("0\nvisible\nrefused\n", r.stdoutText());
    assertEquals("out\n", Files.readString(w.resolve("written.txt")), "the parent stays writable");
    assertEquals(false, Files.exists(secret.resolve("new")));
  }

  @Test
  void writableChildPunchesThroughADeniedParent() throws Exception {
    file("private/other.txt", "PRIVATE");
    file("private/out/keep.txt", "kept");
    Path priv = w.resolve("private");
    Path out = priv.resolve("out");
    ExecutionResult r = ok(run(SandboxPolicy.builder().readOnly(w).deny(priv).readWrite(out).build(),
        "test -e " + priv + "/other.txt || echo hidden; cat " + out + "/keep.txt; echo; echo new > " + out
            + "/made.txt && echo wrote"));
    assertEquals("hidden\nkept\nwrote\n", r.stdoutText());
    assertEquals("new\n", Files.readString(out.resolve("made.txt")));
  }

  @Test
  void readOnlyFolderInsideAReadWriteOne() throws Exception {
    file("src/main.c", "int main(){}");
    Path src = w.resolve("src");
    ExecutionResult r = ok(run(SandboxPolicy.builder().readWrite(w).readOnly(src).build(),
        "echo a > " + w + "/out.txt && echo rw-ok; echo b > " + src + "/main.c 2>/dev/null || echo ro-refused"));
    assertEquals("rw-ok\nro-refused\n", r.stdoutText());
    assertEquals("int main(){}", Files.readString(src.resolve("main.c")));
  }

  @Test
  void aSingleMappedFile() throws Exception {
    Path f = file("only.txt", "just this");
    file("other.txt", "not this");
    ExecutionResult r = ok(run(SandboxPolicy.builder().readOnly(f).build(),
        "cat " + f + "; echo; test -e " + w + "/other.txt || echo other-invisible"));
    assertEquals("just this\nother-invisible\n", r.stdoutText());
  }

  @Test
  void deniedEtcPasswdIsEmpty() {
    ExecutionResult r = ok(run(SandboxPolicy.builder().deny(Path.of("/etc/passwd")).build(),
        "test -f /etc/passwd && echo file; wc -c < /etc/passwd"));
    assertEquals("file\n0\n", r.stdoutText());
    ExecutionResult visible = ok(run(SandboxPolicy.DEFAULT, "grep -c '^root:' /etc/passwd"));
    assertEquals("1\n", visible.stdoutText(), "without the deny it is there: the test can fail");
  }

  @Test
  void deniedSystemToolIsHidden() {
    ExecutionResult r = ok(run(SandboxPolicy.builder().deny(Path.of("/usr/bin/awk")).build(),
        "test -s /usr/bin/awk && echo visible || echo masked"));
    assertEquals("masked\n", r.stdoutText());
  }

  @Test
  void deniedSymlinkMasksItsTarget() throws Exception {
    Path target = file("real/secret.txt", "PRIVATE");
    Path link = Files.createSymbolicLink(w.resolve("alias.txt"), target);
    ExecutionResult r = ok(run(SandboxPolicy.builder().readOnly(w).deny(link).build(),
        "wc -c < " + target + "; wc -c < " + link));
    assertEquals("0\n0\n", r.stdoutText());
  }

  @Test
  void plantedLinkFromAnEarlierRunIsRefused() throws Exception {
    // run 1: a workload with a read-write folder plants links to host folders
    ok(run(SandboxPolicy.builder().readWrite(w).build(),
        "ln -s /etc " + w + "/etclink && ln -s /tmp " + w + "/tmplink"));
    assertTrue(Files.isSymbolicLink(w.resolve("etclink")));
    // run 2: mapping the planted links must not map host /etc or host /tmp
    ExecutionResult ro = run(SandboxPolicy.builder().readOnly(w.resolve("etclink")).build(), "ls /etc/shadow");
    assertEquals(FailurePhase.REJECTED, ro.failurePhase(), ro.toString());
    assertTrue(ro.extendedError().contains("resolves to \"/etc\"") && ro.extendedError().contains("planted"),
        ro.extendedError());
    ExecutionResult rw = run(SandboxPolicy.builder().readWrite(w.resolve("tmplink")).build(), "true");
    assertEquals(FailurePhase.REJECTED, rw.failurePhase(), rw.toString());
    assertTrue(rw.extendedError().contains("/tmp"), rw.extendedError());
  }

  @Test
  void reservedPathsAreRefusedBeforeLaunch() {
    for (String p : new String[] {"/", "/proc", "/opt", "/tmp"}) {
      ExecutionResult r = run(SandboxPolicy.builder().readOnly(Path.of(p)).build(), "true");
      assertEquals(FailurePhase.REJECTED, r.failurePhase(), p + ": " + r);
      assertTrue(r.extendedError().contains("cannot be mapped"), r.extendedError());
    }
  }
}
