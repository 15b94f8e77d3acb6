package dev.sandboxkit.lifecycle.internal.vm.bubblewrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which host folders outside the runtime its symlinks need (bound read-only in the sandbox). */
class HostFactsTest {
  @TempDir Path temp;

  @Test
  void extraRootsAreTheTopLevelDirsOfOutsideLinkTargetsExceptUsrAndLegal() throws IOException {
    Path home = Files.createDirectories(temp.resolve("jdk")).toRealPath();
    Path outside = Files.createDirectories(temp.resolve("etc-java/security"));
    Files.write(outside.resolve("java.security"), new byte[1]);
    Files.createDirectories(home.resolve("conf/security"));
    Files.createSymbolicLink(home.resolve("conf/security/java.security"), outside.resolve("java.security"));
    Files.createDirectories(home.resolve("lib"));
    Files.write(home.resolve("lib/modules"), new byte[1]);
    Files.createSymbolicLink(home.resolve("lib/jvm.cfg"), home.resolve("lib/modules")); // inside: nothing to bind
    Files.createSymbolicLink(home.resolve("lib/usr.so"), Path.of("/usr/lib")); // under /usr: already bound
    Files.createSymbolicLink(home.resolve("lib/dangling"), temp.resolve("nowhere"));
    Files.createDirectories(home.resolve("legal/java.base"));
    // never read by the JVM: would add /etc/passwd if it were walked
    Files.createSymbolicLink(home.resolve("legal/java.base/LICENSE"), Path.of("/etc/passwd"));

    List<Path> roots = HostFacts.javaExtraRoots(home);
    Path expected = temp.toRealPath().getRoot().resolve(temp.toRealPath().subpath(0, 2));
    assertEquals(List.of(expected), roots, "only the conf/ link's target counts; legal/ is not walked");
  }

  @Test
  void thisRuntimeMapsWithoutItsLegalFolder() throws IOException {
    Path home = HostFacts.javaHome();
    for (Path root : HostFacts.javaExtraRoots(home)) {
      assertTrue(root.getNameCount() == 2 && !root.startsWith("/usr"), root.toString());
    }
  }
}
