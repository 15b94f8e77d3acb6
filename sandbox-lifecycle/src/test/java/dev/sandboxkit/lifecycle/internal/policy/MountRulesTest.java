package dev.sandboxkit.lifecycle.internal.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.lifecycle.SandboxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The planner's pure rule (most specific path wins), table-driven, no file system: resolved entries
 * in, ordered mounts out. Entries: {@code rw|ro|deny-dir|deny-file|deny-missing PATH}[{@code :file}];
 * mounts: {@code bind-rw|bind-ro|mask-dir|mask-file PATH}.
 */
class MountRulesTest {

  static final SystemView VIEW = new SystemView(List.of(
      new SystemView.Exposed(Path.of("/usr"), Path.of("/usr"), true),
      new SystemView.Exposed(Path.of("/etc/passwd"), Path.of("/etc/passwd"), false),
      new SystemView.Exposed(Path.of("/etc/resolv.conf"), Path.of("/run/resolve/stub.conf"), false)),
      List.of());
  static final PolicyPlanner BWRAP = new PolicyPlanner(DriverCapabilities.bubblewrap(List.of(), VIEW),
      SandboxWriters.NONE);
  static final PolicyPlanner WSB = new PolicyPlanner(DriverCapabilities.windowsSandbox(List.of()), SandboxWriters.NONE);

  static Arguments row(String name, String entries, String mounts) {
    return Arguments.of(name, entries, mounts);
  }

  static Stream<Arguments> bubblewrap() {
    return Stream.of(
        row("visible sibling next to a denied folder", "rw /w; deny-dir /w/secret", "bind-rw /w; mask-dir /w/secret"),
        row("denied file stays a file", "ro /w; deny-file /w/key.pem", "bind-ro /w; mask-file /w/key.pem"),
        row("deep denied folder under a writable parent", "rw /w; deny-dir /w/a/b/c/secret",
            "bind-rw /w; mask-dir /w/a/b/c/secret"),
        row("writable child under a denied parent punches through", "rw /w; deny-dir /w/private; rw /w/private/out",
            "bind-rw /w; mask-dir /w/private; bind-rw /w/private/out"),
        row("read-only child under a denied parent punches through", "deny-dir /w/private; ro /w/private/pub; rw /w",
            "bind-rw /w; mask-dir /w/private; bind-ro /w/private/pub"),
        row("ro folder inside a rw one", "ro /w/src; rw /w", "bind-rw /w; bind-ro /w/src"),
        row("rw folder inside a ro one", "ro /w; rw /w/out", "bind-ro /w; bind-rw /w/out"),
        row("same path: denied beats read-only beats read-write", "rw /w; ro /w; deny-dir /w", ""),
        row("same path: read-only beats read-write", "rw /w; ro /w", "bind-ro /w"),
        row("same path, denied second: still denied, child still punches through",
            "rw /w/a; deny-dir /w/a; ro /w/a/b; rw /x", "bind-rw /x; bind-ro /w/a/b"),
        row("shallowest first whatever the request order", "deny-file /w/a/b/f; ro /w/a; rw /w; deny-dir /w/a/b",
            "bind-rw /w; bind-ro /w/a; mask-dir /w/a/b; mask-file /w/a/b/f"),
        row("single mapped file", "ro /w/notes.txt:file", "bind-ro:file /w/notes.txt"),
        row("denied missing path needs no mount", "rw /w; deny-missing /w/later", "bind-rw /w"),
        row("denied outside everything visible needs no mount", "rw /w; deny-dir /home/me/.ssh", "bind-rw /w"),
        row("denied file the driver shows itself", "deny-file /etc/passwd", "mask-file /etc/passwd"),
        row("denied folder inside the driver's /usr", "deny-dir /usr/lib/jvm", "mask-dir /usr/lib/jvm"),
        row("denied target of a symlink the driver binds is masked where the sandbox sees it",
            "deny-file /run/resolve/stub.conf", "mask-file /etc/resolv.conf"),
        row("denied folder containing a shown entry masks that entry", "deny-dir /run/resolve",
            "mask-file /etc/resolv.conf"),
        row("mapping over a shown entry replaces its mask; a shown link's entry is masked by its place",
            "deny-dir /etc; ro /etc/passwd:file", "bind-ro:file /etc/passwd; mask-file /etc/resolv.conf"),
        row("denied inside a mapping and shown: masked once", "ro /usr/share; deny-dir /usr/share/doc",
            "bind-ro /usr/share; mask-dir /usr/share/doc"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bubblewrap")
  void bubblewrapPlans(String name, String entries, String mounts) throws Exception {
    assertEquals(mounts(mounts), BWRAP.mounts(entries(entries), new ArrayList<>()));
  }

  static Stream<Arguments> windowsRefusals() {
    return Stream.of(
        row("nested mapping", "rw C:/w; ro C:/w/src", "cannot nest mapped folders"),
        row("denied inside a mapping", "rw C:/w; deny-dir C:/w/secret", "cannot hide part of a mapped folder"),
        row("denied file inside a mapping", "rw C:/w; deny-file C:/w/k", "cannot hide part of a mapped folder"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("windowsRefusals")
  void windowsSandboxRefusesWhatItCannotEnforce(String name, String entries, String fragment) {
    SandboxException e = assertThrows(SandboxException.class, () -> WSB.mounts(entries(entries), new ArrayList<>()));
    assertTrue(e.detail().contains(fragment) && e.detail().contains("windows-sandbox driver"), e.detail());
  }

  static Stream<Arguments> windowsPlans() {
    return Stream.of(
        row("plain mappings", "rw C:/w; ro C:/x", "bind-rw C:/w; bind-ro C:/x"),
        row("case-insensitive same path: read-only wins", "rw C:/W; ro c:/w", "bind-ro c:/w"),
        row("mapping inside a denied parent", "deny-dir C:/p; rw C:/p/w", "bind-rw C:/p/w"),
        row("denied elsewhere", "rw C:/w; deny-dir C:/other", "bind-rw C:/w"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("windowsPlans")
  void windowsSandboxPlans(String name, String entries, String mounts) throws Exception {
    assertEquals(mounts(mounts), WSB.mounts(entries(entries), new ArrayList<>()));
  }

  static Path path(String p) {
    return p.startsWith("C:") || p.startsWith("c:") ? Path.of("/" + p) : Path.of(p);
  }

  static List<PolicyPlanner.Entry> entries(String spec) {
    List<PolicyPlanner.Entry> out = new ArrayList<>();
    for (String item : items(spec)) {
      String[] f = item.split(" ");
      boolean file = f[1].endsWith(":file");
      Path p = path(f[1].replace(":file", ""));
      PathWalk.Kind kind = file || f[0].equals("deny-file") ? PathWalk.Kind.FILE
          : f[0].equals("deny-missing") ? PathWalk.Kind.MISSING : PathWalk.Kind.DIRECTORY;
      Access access = f[0].equals("rw") ? Access.READ_WRITE : f[0].equals("ro") ? Access.READ_ONLY : Access.DENIED;
      out.add(new PolicyPlanner.Entry(p, p, access, kind));
    }
    return out;
  }

  static List<MountOp> mounts(String spec) {
    List<MountOp> out = new ArrayList<>();
    for (String item : items(spec)) {
      String[] f = item.split(" ");
      Path p = path(f[1]);
      out.add(switch (f[0]) {
        case "bind-rw" -> new MountOp.Bind(p, false, true);
        case "bind-ro" -> new MountOp.Bind(p, true, true);
        case "bind-ro:file" -> new MountOp.Bind(p, true, false);
        case "mask-dir" -> new MountOp.MaskDir(p);
        case "mask-file" -> new MountOp.MaskFile(p);
        default -> throw new IllegalArgumentException(item);
      });
    }
    return out;
  }

  static List<String> items(String spec) {
    return Arrays.stream(spec.split(";")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}
