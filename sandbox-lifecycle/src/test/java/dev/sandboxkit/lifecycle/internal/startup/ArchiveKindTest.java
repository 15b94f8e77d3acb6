package dev.sandboxkit.lifecycle.internal.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which archive the guest gets per runtime (issue 16.1): the AOT cache from Java 25 on, the
 * class-data archive below and whenever it is switched off; and the flags each kind puts on the
 * guest's command line and in its key.
 */
class ArchiveKindTest {
  private static final UnaryOperator<String> NO_PROPERTIES = k -> null;
  private static final List<String> GUEST = List.of("-XX:+UseSerialGC", "-Xshare:auto", "-Xmx64m");

  @TempDir Path temp;

  @Test
  void theAotCacheFromJava25OnTheClassDataArchiveBelow() {
    for (int feature : new int[] {0, 8, 11, 17, 21, 24}) {
      assertEquals(ArchiveKind.CDS, ArchiveKind.decide(feature, NO_PROPERTIES, Map.of()), "Java " + feature);
    }
    for (int feature : new int[] {25, 26, 29}) {
      assertEquals(ArchiveKind.AOT, ArchiveKind.decide(feature, NO_PROPERTIES, Map.of()), "Java " + feature);
    }
  }

  @Test
  void theEnvironmentOrThePropertyKeepsTheClassDataArchive() {
    assertEquals(ArchiveKind.CDS, ArchiveKind.decide(25, NO_PROPERTIES, Map.of("SANDBOXKIT_NO_AOT", "1")));
    assertEquals(ArchiveKind.AOT, ArchiveKind.decide(25, NO_PROPERTIES, Map.of("SANDBOXKIT_NO_AOT", "")),
        "set but empty: as unset (like SANDBOXKIT_NO_CDS)");
    assertEquals(ArchiveKind.CDS, ArchiveKind.decide(25, k -> k.equals("sandboxkit.aot") ? " False " : null, Map.of()));
    assertEquals(ArchiveKind.AOT, ArchiveKind.decide(25, k -> k.equals("sandboxkit.aot") ? "true" : null, Map.of()));
    assertEquals(ArchiveKind.CDS, ArchiveKind.decide(17, k -> k.equals("sandboxkit.aot") ? "true" : null, Map.of()),
        "the property cannot force the flags onto a runtime without them");
  }

  @Test
  void theFeatureReleaseFromTheReleaseFile() {
    assertEquals(25, ArchiveKind.feature("IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_VERSION=\"25.0.3\"\n"));
    assertEquals(17, ArchiveKind.feature("JAVA_VERSION=\"17.0.9\""));
    assertEquals(26, ArchiveKind.feature("JAVA_VERSION=\"26-ea\""));
    assertEquals(25, ArchiveKind.feature("JAVA_VERSION=25"));
    assertEquals(8, ArchiveKind.feature("JAVA_VERSION=\"1.8.0_402\""));
    assertEquals(0, ArchiveKind.feature("JAVA_RUNTIME_VERSION=\"25.0.3+9-LTS\""), "only JAVA_VERSION counts");
    assertEquals(0, ArchiveKind.feature("JAVA_VERSION=\"\""));
    assertEquals(0, ArchiveKind.feature("JAVA_VERSION=\"x25\""));
    assertEquals(0, ArchiveKind.feature(""));
  }

  @Test
  void aRuntimeWithoutAReadableReleaseFileGetsTheClassDataArchive() throws IOException {
    Path home = Files.createDirectories(temp.resolve("jdk"));
    assertEquals(ArchiveKind.CDS, ArchiveKind.forRuntime(home), "no release file");
    Files.writeString(home.resolve("release"), "JAVA_VERSION=\"17.0.9\"\n");
    assertEquals(ArchiveKind.CDS, ArchiveKind.forRuntime(home));
    Files.writeString(home.resolve("release"), "JAVA_VERSION=\"25.0.3\"\n");
    assertEquals(System.getenv("SANDBOXKIT_NO_AOT") == null || System.getenv("SANDBOXKIT_NO_AOT").isEmpty()
        ? ArchiveKind.AOT : ArchiveKind.CDS, ArchiveKind.forRuntime(home));
  }

  @Test
  void anAotCacheReplacesXshareAndMapsWithAotCache() {
    GuestCds use = new GuestCds.Use(Path.of("/c/guest-0123456789abcdef-42.jsa"), ArchiveKind.AOT);
    assertEquals(List.of("-XX:+UseSerialGC", "-Xmx64m"), GuestCds.baseFlags(GUEST, use),
        "the JVM refuses -XX:AOTCache next to -Xshare");
    assertEquals(List.of("-XX:AOTCache=" + GuestCds.INSIDE_ARCHIVE, GuestCds.QUIET_AOT), GuestCds.jvmFlags(use));
    assertEquals(List.of("--ro-bind-try", "/c/guest-0123456789abcdef-42.jsa", GuestCds.INSIDE_ARCHIVE),
        GuestCds.binds(use), "bound as a class-data archive is");

    GuestCds train = new GuestCds.Train(Path.of("/c/train/cds"), ArchiveKind.AOT);
    assertEquals(List.of("-XX:AOTCacheOutput=" + GuestCds.INSIDE_DUMP, GuestCds.QUIET_AOT), GuestCds.jvmFlags(train));
    assertFalse(GuestCds.baseFlags(GUEST, train).contains("-Xshare:auto"));

    GuestCds verify = new GuestCds.Verify(Path.of("/c/train/guest.jsa"), ArchiveKind.AOT);
    assertEquals(List.of("-XX:AOTMode=on", "-XX:+VerifySharedSpaces", "-XX:AOTCache=" + GuestCds.INSIDE_ARCHIVE),
        GuestCds.jvmFlags(verify), "strict: a cache the JVM cannot map fails the check");
  }

  @Test
  void aClassDataArchiveKeepsItsFlags() {
    GuestCds use = new GuestCds.Use(Path.of("/c/a.jsa"));
    assertEquals(ArchiveKind.CDS, ((GuestCds.Use) use).kind());
    assertEquals(GUEST, GuestCds.baseFlags(GUEST, use));
    assertEquals(List.of("-XX:SharedArchiveFile=" + GuestCds.INSIDE_ARCHIVE), GuestCds.jvmFlags(use));
    assertEquals(GUEST, GuestCds.baseFlags(GUEST, GuestCds.OFF));
    assertEquals(List.of(), GuestCds.jvmFlags(GuestCds.OFF));
    assertTrue(GuestCds.jvmFlags(new GuestCds.Train(Path.of("/d"))).contains(
        "-XX:ArchiveClassesAtExit=" + GuestCds.INSIDE_DUMP));
  }

  @Test
  void theKeySeparatesTheKindsAndLeavesTheClassDataArchivesKeyAsItWas() {
    assertEquals(GUEST, CdsKey.flags(GUEST, ArchiveKind.CDS), "published class-data archives keep their names");
    assertEquals(List.of("-XX:+UseSerialGC", "-Xmx64m", "-XX:AOTCache"), CdsKey.flags(GUEST, ArchiveKind.AOT));
    CdsKey.Inputs cds = new CdsKey.Inputs("/b/sandboxkit-guest.jar", 1, 2, "/jdk", 3, 4,
        CdsKey.flags(GUEST, ArchiveKind.CDS));
    CdsKey.Inputs aot = new CdsKey.Inputs("/b/sandboxkit-guest.jar", 1, 2, "/jdk", 3, 4,
        CdsKey.flags(GUEST, ArchiveKind.AOT));
    assertNotEquals(CdsKey.of(cds), CdsKey.of(aot));
  }
}
