package dev.sandboxkit.lifecycle.internal.vm.bubblewrap;

import dev.sandboxkit.lifecycle.internal.startup.StartUp;
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

  /** Issue 16.4: root is measured (uid, else a created file's owner), never guessed from user.name. */
  @Test
  void rootIsMeasuredNeverGuessedFromTheUserName() {
    java.util.function.Supplier<java.util.OptionalLong> noOwner = java.util.OptionalLong::empty;
    assertEquals(java.util.Optional.of(true), HostFacts.root(java.util.OptionalLong.of(0), noOwner));
    assertEquals(java.util.Optional.of(false), HostFacts.root(java.util.OptionalLong.of(1000), () -> {
      throw new AssertionError("the file is not consulted when the uid is known");
    }));
    assertEquals(java.util.Optional.of(true), HostFacts.root(java.util.OptionalLong.empty(),
        () -> java.util.OptionalLong.of(0)));
    assertEquals(java.util.Optional.of(false), HostFacts.root(java.util.OptionalLong.empty(),
        () -> java.util.OptionalLong.of(1000)));
    String name = System.getProperty("user.name");
    try {
      System.setProperty("user.name", "root");
      assertEquals(java.util.Optional.empty(), HostFacts.root(java.util.OptionalLong.empty(), noOwner),
          "unknown stays unknown, whatever user.name says");
    } finally {
      System.setProperty("user.name", name);
    }
  }

  @Test
  void onThisHostTheTwoMeasuresAgree() {
    assertEquals(HostFacts.effectiveUid(), HostFacts.createdFileOwner());
    assertEquals(java.util.Optional.of(HostFacts.effectiveUid().getAsLong() == 0), HostFacts.root());
  }

  /** A driver that cannot tell its identity refuses to run and says so in doctor. */
  @Test
  void aDriverWithoutAKnownIdentityRefusesAndDoctorSaysWhy() {
    BubblewrapDriver d = new BubblewrapDriver(java.util.Optional.empty(), StartUp.fromEnvironment());
    dev.sandboxkit.lifecycle.SandboxException e = org.junit.jupiter.api.Assertions.assertThrows(
        dev.sandboxkit.lifecycle.SandboxException.class,
        () -> d.checkEnforceable(dev.sandboxkit.lifecycle.SandboxPolicy.builder().build()));
    assertEquals(dev.sandboxkit.lifecycle.FailurePhase.REJECTED, e.phase());
    assertTrue(e.getMessage().startsWith("cannot tell whether this process runs as root"), e.getMessage());
    assertTrue(d.prerequisites().stream().anyMatch(c -> c.name().equals("process identity") && !c.ok()),
        d.prerequisites().toString());
  }
}
