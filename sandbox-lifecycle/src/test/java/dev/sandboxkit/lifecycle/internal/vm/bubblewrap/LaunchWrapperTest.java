package dev.sandboxkit.lifecycle.internal.vm.bubblewrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real shell wrapper, with a stand-in for bwrap that reads descriptor 3. */
class LaunchWrapperTest {
  @TempDir Path temp;

  Path nonce() throws Exception {
    return Files.write(temp.resolve("nonce.bin"), "NONCE".getBytes(StandardCharsets.UTF_8));
  }

  Process run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.waitFor();
    return p;
  }

  @Test
  void joinsEachCgroupThenExecsWithTheFilterOnFd3() throws Exception {
    Path filter = Files.write(temp.resolve("seccomp.bpf"), "FILTER".getBytes(StandardCharsets.UTF_8));
    Path a = Files.createDirectories(temp.resolve("a")).resolve("cgroup.procs");
    Path b = Files.createDirectories(temp.resolve("b")).resolve("cgroup.procs");
    Process p = run(LaunchWrapper.wrap(List.of("/bin/sh", "-c", "cat <&3; echo \" $$\""), filter, nonce(), List.of(a, b)));
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), out);
    String pid = Long.toString(p.pid());
    assertEquals("FILTER " + pid + "\n", out, "exec'd in place: same pid as the wrapper");
    assertEquals(pid, Files.readString(a).strip());
    assertEquals(pid, Files.readString(b).strip());
  }

  @Test
  void refusesToWriteAnythingButACgroupProcsFile() throws Exception {
    Path filter = Files.write(temp.resolve("seccomp.bpf"), new byte[8]);
    Path victim = Files.writeString(temp.resolve("victim"), "keep");
    Process p = run(LaunchWrapper.wrap(List.of("/bin/echo", "started"), filter, nonce(), List.of(victim)));
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(125, p.exitValue());
    assertTrue(out.contains("not a cgroup.procs file"), out);
    assertEquals("keep", Files.readString(victim));
  }

  @Test
  void aCgroupThatCannotBeJoinedStopsTheLaunch() throws Exception {
    Path filter = Files.write(temp.resolve("seccomp.bpf"), new byte[8]);
    Process p = run(LaunchWrapper.wrap(List.of("/bin/echo", "started"), filter, nonce(),
        List.of(temp.resolve("missing/cgroup.procs"))));
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(125, p.exitValue());
    assertTrue(!out.contains("started"), out);
  }

  @Test
  void withoutCgroupsItOnlyOpensTheFilter() throws Exception {
    Path filter = Files.write(temp.resolve("seccomp.bpf"), "F".getBytes(StandardCharsets.UTF_8));
    Process p = run(LaunchWrapper.wrap(List.of("/bin/sh", "-c", "cat <&3"), filter, nonce(), List.of()));
    assertEquals("F", new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    assertEquals(0, p.exitValue());
  }

  @Test
  void opensTheNonceOnFd4ForBwrapsFileCopy() throws Exception {
    Path filter = Files.write(temp.resolve("seccomp.bpf"), "F".getBytes(StandardCharsets.UTF_8));
    Process p = run(LaunchWrapper.wrap(List.of("/bin/sh", "-c", "cat <&" + LaunchWrapper.NONCE_FD), filter, nonce(),
        List.of()));
    assertEquals("NONCE", new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    assertEquals(0, p.exitValue());
  }

  @Test
  void aMissingNonceFileStopsTheLaunchBeforeBwrap() throws Exception {
    Path filter = Files.write(temp.resolve("seccomp.bpf"), "F".getBytes(StandardCharsets.UTF_8));
    Process p = run(LaunchWrapper.wrap(List.of("/bin/echo", "started"), filter, temp.resolve("missing"), List.of()));
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.exitValue() != 0, out);
    assertTrue(!out.contains("started"), out);
  }

  @Test
  void unwrapGivesBwrapsOwnArgv() {
    List<String> bwrap = List.of("/usr/bin/bwrap", "--unshare-all", "--", "x");
    assertEquals(bwrap, LaunchWrapper.unwrap(LaunchWrapper.wrap(bwrap, temp.resolve("f"), temp.resolve("n"), List.of(temp.resolve("cgroup.procs")))));
    assertEquals(bwrap, LaunchWrapper.unwrap(bwrap));
  }
}
