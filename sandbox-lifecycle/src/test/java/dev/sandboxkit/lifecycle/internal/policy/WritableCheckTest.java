package dev.sandboxkit.lifecycle.internal.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sandboxkit.lifecycle.FailurePhase;
import dev.sandboxkit.lifecycle.NetworkAccess;
import dev.sandboxkit.lifecycle.SandboxException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

@DisabledOnOs(OS.WINDOWS)
@Timeout(30)
class WritableCheckTest {

  @TempDir Path tmp;

  @Test
  void ownerClassUsesOwnerBits() {
    assertTrue(WritableCheck.writable(0700, 65534, 0, 65534, 65534));
    assertFalse(WritableCheck.writable(0577, 65534, 65534, 65534, 65534), "owner bits win over group/other");
  }

  @Test
  void groupClassUsesGroupBits() {
    assertTrue(WritableCheck.writable(0730, 0, 65534, 65534, 65534));
    assertFalse(WritableCheck.writable(0757, 0, 65534, 65534, 65534));
  }

  @Test
  void otherClassUsesOtherBits() {
    assertTrue(WritableCheck.writable(0703, 0, 0, 65534, 65534));
    assertFalse(WritableCheck.writable(0755, 0, 0, 65534, 65534));
  }

  @Test
  void writeWithoutSearchIsNotEnough() {
    assertFalse(WritableCheck.writable(0702, 0, 0, 65534, 65534));
  }

  PolicyPlan plan(Path dir, boolean readOnly) throws IOException {
    return new PolicyPlan(List.of(new MappedFolder(dir.toRealPath(), readOnly)), List.of(), NetworkAccess.BLOCK);
  }

  Path rootOwnedPrivateDir() throws IOException {
    Path d = Files.createDirectory(tmp.resolve("priv"));
    Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwx------"));
    return d;
  }

  @Test
  void notWritableFolderIsRejectedWithPathUidAndFix() throws IOException {
    assumeTrue("root".equals(System.getProperty("user.name")), "needs a root-owned dir");
    Path d = rootOwnedPrivateDir();
    SandboxException e = assertThrows(SandboxException.class,
        () -> WritableCheck.requireWritable(plan(d, false), 65534, 65534, "bubblewrap", WritableCheck.MODE_BITS_ONLY));
    assertEquals(FailurePhase.REJECTED, e.phase());
    String real = d.toRealPath().toString();
    assertTrue(e.detail().contains(real), e.detail());
    assertTrue(e.detail().contains("uid 65534"), e.detail());
    assertTrue(e.detail().contains("chown 65534 " + real), e.detail());
    assertTrue(e.detail().contains("setfacl -m u:65534:rwx " + real), e.detail());
    assertTrue(e.detail().contains("mode 0700"), e.detail());
  }

  @Test
  void readOnlyFoldersAreNotChecked() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "needs a root-owned dir");
    WritableCheck.requireWritable(plan(rootOwnedPrivateDir(), true), 65534, 65534, "bubblewrap",
        WritableCheck.MODE_BITS_ONLY);
  }

  @Test
  void chownedFolderIsAccepted() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "needs root to chown");
    Path d = rootOwnedPrivateDir();
    Files.setAttribute(d, "unix:uid", 65534);
    WritableCheck.requireWritable(plan(d, false), 65534, 65534, "bubblewrap", WritableCheck.MODE_BITS_ONLY);
  }

  @Test
  void worldWritableFolderIsAccepted() throws Exception {
    Path d = Files.createDirectory(tmp.resolve("open"));
    Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxrwxrwx"));
    WritableCheck.requireWritable(plan(d, false), 65534, 65534, "bubblewrap", WritableCheck.MODE_BITS_ONLY);
  }

  @Test
  void accessProbeCanGrantWhatModeBitsDeny() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "needs a root-owned dir");
    WritableCheck.requireWritable(plan(rootOwnedPrivateDir(), false), 65534, 65534, "bubblewrap",
        (dir, uid, gid) -> true);
  }

  @Test
  void setprivProbeAsksTheKernel() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/setpriv")),
        "needs root and setpriv");
    Path open = Files.createDirectory(tmp.resolve("open"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx--x--x"));
    assertTrue(WritableCheck.SETPRIV_PROBE.canWrite(open, 65534, 65534));
    assertFalse(WritableCheck.SETPRIV_PROBE.canWrite(rootOwnedPrivateDir(), 65534, 65534));
  }
}
