package dev.sandboxkit.lifecycle.internal.vm.bubblewrap;

import dev.sandboxkit.lifecycle.internal.startup.GuestCds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.lifecycle.NetworkAccess;
import dev.sandboxkit.lifecycle.internal.policy.MappedFolder;
import dev.sandboxkit.lifecycle.internal.policy.MountOp;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The bwrap command line as a pure function: golden argument lists for root and non-root hosts. */
class BwrapCommandTest {
  static final BwrapCommand.HostLayout MERGED_USR = new BwrapCommand.HostLayout(
      Map.of("/bin", "usr/bin", "/sbin", "usr/sbin", "/lib", "usr/lib", "/lib64", "usr/lib64"));
  static final BwrapCommand.HostLayout SPLIT = new BwrapCommand.HostLayout(
      Map.of("/bin", "", "/sbin", "", "/lib", "", "/lib64", "/lib/x86_64-linux-gnu"));

  static BwrapCommand.Spec spec(boolean root, NetworkAccess net, List<MappedFolder> mounts) {
    return new BwrapCommand.Spec(Path.of("/usr/bin/bwrap"), root, 65534, 65534,
        Path.of("/usr/lib/jvm/java-17"), List.of(Path.of("/etc/java-17-openjdk")),
        Path.of("/build/sandboxkit-guest.jar"), Path.of("/tmp/sk/oneshot/run1/rendezvous"),
        BwrapCommand.Spec.binds(mounts), net);
  }

  static List<String> common(List<String> head) {
    List<String> a = new ArrayList<>(head);
    a.addAll(List.of("--die-with-parent", "--new-session", "--hostname", "sandboxkit",
        "--clearenv", "--setenv", "PATH", "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin",
        "--setenv", "HOME", "/tmp", "--setenv", "TMPDIR", "/tmp", "--setenv", "LANG", "C.UTF-8",
        "--ro-bind", "/usr", "/usr",
        "--symlink", "usr/bin", "/bin", "--symlink", "usr/sbin", "/sbin",
        "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
        "--perms", "0755", "--dir", "/etc",
        "--ro-bind-try", "/etc/passwd", "/etc/passwd", "--ro-bind-try", "/etc/group", "/etc/group",
        "--ro-bind-try", "/etc/hosts", "/etc/hosts", "--ro-bind-try", "/etc/nsswitch.conf", "/etc/nsswitch.conf",
        "--ro-bind-try", "/etc/resolv.conf", "/etc/resolv.conf", "--ro-bind-try", "/etc/host.conf", "/etc/host.conf",
        "--ro-bind-try", "/etc/localtime", "/etc/localtime", "--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache",
        "--ro-bind-try", "/etc/ld.so.conf", "/etc/ld.so.conf",
        "--ro-bind-try", "/etc/ld.so.conf.d", "/etc/ld.so.conf.d",
        "--symlink", "../proc/self/mounts", "/etc/mtab",
        "--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--size", "536870912", "--tmpfs", "/tmp",
        "--ro-bind", "/etc/java-17-openjdk", "/etc/java-17-openjdk"));
    return a;
  }

  static List<String> tail(boolean root, String network) {
    List<String> a = new ArrayList<>(List.of(
        "--perms", "0755", "--dir", "/opt", "--perms", "0755", "--dir", "/opt/sandboxkit",
        "--ro-bind", "/usr/lib/jvm/java-17", "/opt/sandboxkit/java",
        "--ro-bind", "/build/sandboxkit-guest.jar", "/opt/sandboxkit/sandboxkit-guest.jar",
        "--bind", "/tmp/sk/oneshot/run1/rendezvous", "/opt/sandboxkit/rendezvous",
        "--chdir", "/tmp"));
    if (root) {
      a.addAll(List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
          "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs"));
    }
    a.addAll(List.of("/opt/sandboxkit/java/bin/java", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k",
        "-XX:-UsePerfData", "-Xshare:auto", "-Xms8m", "-Xmx64m", "-XX:ReservedCodeCacheSize=16m",
        "-Dio.netty.allocator.type=unpooled", "-Dio.netty.leakDetection.level=disabled",
        "-Dsun.reflect.inflationThreshold=2147483647",
        "-jar", "/opt/sandboxkit/sandboxkit-guest.jar",
        "--transport", "unix", "--rendezvous", "/opt/sandboxkit/rendezvous", "--network", network,
        "--lifeline", "stdin"));
    return a;
  }

  @Test
  void rootBlock() {
    List<String> expected = common(List.of("/usr/bin/bwrap", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
        "--unshare-cgroup-try", "--unshare-net"));
    expected.addAll(tail(true, "block"));
    assertEquals(expected, BwrapCommand.build(spec(true, NetworkAccess.BLOCK, List.of()), MERGED_USR));
  }

  @Test
  void rootAllowKeepsTheHostNetwork() {
    List<String> expected = common(List.of("/usr/bin/bwrap", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
        "--unshare-cgroup-try"));
    expected.addAll(tail(true, "allow"));
    assertEquals(expected, BwrapCommand.build(spec(true, NetworkAccess.ALLOW, List.of()), MERGED_USR));
  }

  @Test
  void nonRootBlock() {
    List<String> expected = common(List.of("/usr/bin/bwrap", "--unshare-all"));
    expected.addAll(tail(false, "block"));
    List<String> actual = BwrapCommand.build(spec(false, NetworkAccess.BLOCK, List.of()), MERGED_USR);
    assertEquals(expected, actual);
    assertFalse(actual.contains("/usr/bin/setpriv"));
  }

  @Test
  void nonRootAllowSharesTheNetwork() {
    List<String> expected = common(List.of("/usr/bin/bwrap", "--unshare-all", "--share-net"));
    expected.addAll(tail(false, "allow"));
    assertEquals(expected, BwrapCommand.build(spec(false, NetworkAccess.ALLOW, List.of()), MERGED_USR));
  }

  /** The default (no archive) command with {@code extraBinds} after the rendezvous bind and so on. */
  static List<String> withCds(boolean root, List<String> extraBinds, List<String> extraFlags, List<String> args) {
    List<String> expected = common(List.of("/usr/bin/bwrap", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
        "--unshare-cgroup-try", "--unshare-net"));
    List<String> tail = tail(root, "block");
    int chdir = tail.indexOf("--chdir");
    tail.addAll(chdir, extraBinds);
    int jar = tail.indexOf("-jar");
    tail.addAll(jar, extraFlags);
    if (args != null) {
      jar = tail.indexOf("-jar");
      tail = new ArrayList<>(tail.subList(0, jar + 2));
      tail.addAll(args);
    }
    expected.addAll(tail);
    return expected;
  }

  @Test
  void useArchiveBindsItReadOnlyIfStillThereAndMapsIt() {
    BwrapCommand.Spec s = spec(true, NetworkAccess.BLOCK, List.of())
        .withCds(new GuestCds.Use(Path.of("/root/.cache/sandboxkit/cds/guest-0123456789abcdef-42.jsa")));
    assertEquals(withCds(true,
        List.of("--ro-bind-try", "/root/.cache/sandboxkit/cds/guest-0123456789abcdef-42.jsa",
            "/opt/sandboxkit/guest.jsa"),
        List.of("-XX:SharedArchiveFile=/opt/sandboxkit/guest.jsa"), null), BwrapCommand.build(s, MERGED_USR));
    assertTrue(BwrapCommand.build(s, MERGED_USR).contains("-Xshare:auto"), "a mismatch must only cost speed");
  }

  @Test
  void trainingBindsAWritableDumpFolderAndDumpsQuietlyAtExit() {
    BwrapCommand.Spec s = spec(false, NetworkAccess.BLOCK, List.of())
        .withCds(new GuestCds.Train(Path.of("/c/train-1-2-x/cds")));
    List<String> expected = common(List.of("/usr/bin/bwrap", "--unshare-all"));
    List<String> tail = tail(false, "block");
    tail.addAll(tail.indexOf("--chdir"), List.of("--bind", "/c/train-1-2-x/cds", "/opt/sandboxkit/cds"));
    tail.addAll(tail.indexOf("-jar"), List.of("-XX:ArchiveClassesAtExit=/opt/sandboxkit/cds/guest.jsa",
        "-Xlog:cds=off,cds+dynamic=off"));
    expected.addAll(tail);
    assertEquals(expected, BwrapCommand.build(s, MERGED_USR));
  }

  @Test
  void verifyMapsTheArchiveStrictlyAndOnlyPrintsTheVersion() {
    BwrapCommand.Spec s = spec(true, NetworkAccess.BLOCK, List.of())
        .withCds(new GuestCds.Verify(Path.of("/c/train-1-2-x/guest.jsa")));
    assertEquals(withCds(true, List.of("--ro-bind", "/c/train-1-2-x/guest.jsa", "/opt/sandboxkit/guest.jsa"),
        List.of("-Xshare:on", "-XX:+VerifySharedSpaces", "-XX:SharedArchiveFile=/opt/sandboxkit/guest.jsa"),
        List.of("--version")), BwrapCommand.build(s, MERGED_USR));
  }

  @Test
  void theGuestGetsNoHostJnaLibraryAndUnpacksItsOwnIntoTmp() {
    // JNA's library extracted on the host and bound in was removed (it did not pay, README "Performance")
    BwrapCommand.Spec s = spec(true, NetworkAccess.BLOCK, List.of())
        .withCds(new GuestCds.Use(Path.of("/c/guest-0123456789abcdef-42.jsa")));
    List<String> a = BwrapCommand.build(s, MERGED_USR);
    assertFalse(a.stream().anyMatch(x -> x.contains("jna") || x.contains("jnidispatch")), a.toString());
    String joined = String.join(" ", a);
    assertTrue(joined.contains("--perms 1777 --size "), joined);
    assertTrue(joined.contains(" --tmpfs /tmp "), "a writable /tmp for JNA to unpack into: " + joined);
  }

  @Test
  void specWithersKeepEverythingElse() {
    BwrapCommand.Spec s = spec(true, NetworkAccess.ALLOW, List.of(new MappedFolder(Path.of("/data"), true)));
    assertEquals(GuestCds.OFF, s.cds());
    BwrapCommand.Spec t = s.withCds(new GuestCds.Use(Path.of("/a.jsa"))).withRendezvousDir(Path.of("/r"));
    assertEquals(new BwrapCommand.Spec(s.bwrap(), true, 65534, 65534, s.javaHome(), s.javaExtraRoots(), s.guestJar(),
        Path.of("/r"), s.mounts(), NetworkAccess.ALLOW, new GuestCds.Use(Path.of("/a.jsa"))), t);
    BwrapCommand.Spec u = t.withEmptyFile(Optional.of(Path.of("/e")));
    assertEquals(new BwrapCommand.Spec(s.bwrap(), true, 65534, 65534, s.javaHome(), s.javaExtraRoots(), s.guestJar(),
        Path.of("/r"), s.mounts(), NetworkAccess.ALLOW, new GuestCds.Use(Path.of("/a.jsa")),
        Optional.of(Path.of("/e")), Containment.NONE), u);
    assertEquals(u, u.withCds(GuestCds.OFF).withRendezvousDir(Path.of("/q")).withCds(u.cds())
        .withRendezvousDir(Path.of("/r")));
  }

  @Test
  void splitUsrBindsRealDirectories() {
    List<String> a = BwrapCommand.build(spec(false, NetworkAccess.BLOCK, List.of()), SPLIT);
    String joined = String.join(" ", a);
    assertTrue(joined.contains("--ro-bind /bin /bin --ro-bind /sbin /sbin --ro-bind /lib /lib"
        + " --symlink /lib/x86_64-linux-gnu /lib64"), joined);
  }

  @Test
  void mappedFoldersAtTheSamePathWithParentsAfterTmp() {
    List<String> a = BwrapCommand.build(spec(true, NetworkAccess.BLOCK, List.of(
        new MappedFolder(Path.of("/tmp/work/rw"), false),
        new MappedFolder(Path.of("/data/ro"), true),
        new MappedFolder(Path.of("/usr/local/share/x"), true))), MERGED_USR);
    String joined = String.join(" ", a);
    assertTrue(joined.contains("--perms 0755 --dir /tmp/work --bind /tmp/work/rw /tmp/work/rw"
        + " --perms 0755 --dir /data --ro-bind /data/ro /data/ro --ro-bind /usr/local/share/x /usr/local/share/x"),
        joined);
    assertTrue(joined.indexOf("--tmpfs /tmp") < joined.indexOf("--bind /tmp/work/rw"));
    assertTrue(joined.indexOf("--ro-bind /data/ro") < joined.indexOf("/opt/sandboxkit/java"),
        "our binds come last so no mapping covers them");
  }

  @Test
  void neverExposesHostHomeRootVarOrTmp() {
    List<String> a = BwrapCommand.build(spec(false, NetworkAccess.BLOCK, List.of()), MERGED_USR);
    for (String forbidden : List.of("/home", "/root", "/var", "/")) {
      for (int i = 0; i < a.size() - 2; i++) {
        if (a.get(i).endsWith("bind") || a.get(i).equals("--ro-bind-try")) {
          assertFalse(a.get(i + 1).equals(forbidden) || a.get(i + 1).startsWith(forbidden + "/") && !forbidden.equals("/"),
              "binds " + a.get(i + 1));
        }
      }
    }
    assertFalse(a.contains("--share-net"));
  }

  static BwrapCommand.Spec withOps(List<MountOp> ops) {
    return spec(false, NetworkAccess.BLOCK, List.of()).withMounts(ops).withEmptyFile(Optional.of(Path.of("/run1/empty")));
  }

  @Test
  void masksPunchThroughAndReadOnlyAtTheEnd() {
    List<String> a = BwrapCommand.build(withOps(List.of(
        new MountOp.Bind(Path.of("/w"), false, true),
        new MountOp.MaskDir(Path.of("/w/secret")),
        new MountOp.MaskFile(Path.of("/w/key.pem")),
        new MountOp.Bind(Path.of("/w/secret/pub"), true, true),
        new MountOp.Bind(Path.of("/w/secret/pub/notes.txt"), false, false))), MERGED_USR);
    String joined = String.join(" ", a);
    assertTrue(joined.contains("--bind /w /w --perms 0755 --tmpfs /w/secret --ro-bind /run1/empty /w/key.pem"
        + " --ro-bind /w/secret/pub /w/secret/pub --bind /w/secret/pub/notes.txt /w/secret/pub/notes.txt"), joined);
    assertFalse(joined.contains("--dir /w/secret"), "no --dir inside a mounted folder: bwrap makes it in the tmpfs");
    int remount = joined.indexOf("--remount-ro /w/secret");
    assertTrue(remount > joined.indexOf("/opt/sandboxkit/rendezvous"), "read-only once everything is mounted: " + joined);
    assertTrue(remount < joined.indexOf("--chdir /tmp"), joined);
  }

  @Test
  void maskingAFileWithoutAnEmptyFileIsAProgrammingError() {
    BwrapCommand.Spec s = withOps(List.of(new MountOp.MaskFile(Path.of("/etc/passwd")))).withEmptyFile(Optional.empty());
    assertThrows(IllegalStateException.class, () -> BwrapCommand.build(s, MERGED_USR));
  }

  @Test
  void etcViewAndHiddenFoldersComeFromTheLayout() {
    BwrapCommand.HostLayout layout = new BwrapCommand.HostLayout(MERGED_USR.systemDirs(),
        List.of("/etc/alternatives", "/etc/ssl"), List.of("/etc/ssl/private"));
    String joined = String.join(" ", BwrapCommand.build(spec(false, NetworkAccess.BLOCK, List.of()), layout));
    assertTrue(joined.contains("--dir /etc --ro-bind-try /etc/alternatives /etc/alternatives"
        + " --ro-bind-try /etc/ssl /etc/ssl --perms 0700 --tmpfs /etc/ssl/private"), joined);
    assertTrue(joined.contains("--remount-ro /etc/ssl/private --chdir /tmp"), joined);
    assertFalse(joined.contains("/etc/passwd"), joined);
  }

  @Test
  void aLaterMountOverAHiddenFolderDropsItsRemountAndTheEtcViewCoversTheJdkLinks() {
    BwrapCommand.HostLayout layout = new BwrapCommand.HostLayout(MERGED_USR.systemDirs(),
        List.of("/etc/ssl"), List.of("/etc/ssl/private"));
    BwrapCommand.Spec s = new BwrapCommand.Spec(Path.of("/usr/bin/bwrap"), false, 65534, 65534,
        Path.of("/usr/lib/jvm/java-17"), List.of(Path.of("/etc/ssl")), Path.of("/build/sandboxkit-guest.jar"),
        Path.of("/r"), List.of(new MountOp.Bind(Path.of("/etc"), true, true)), NetworkAccess.BLOCK);
    String joined = String.join(" ", BwrapCommand.build(s, layout));
    assertFalse(joined.contains("--remount-ro /etc/ssl/private"), joined);
    assertEquals(1, joined.split("--ro-bind-try /etc/ssl /etc/ssl", -1).length - 1, joined);
    assertFalse(joined.contains("--ro-bind /etc/ssl /etc/ssl"), "the JDK's extra root is already shown: " + joined);
  }
}
