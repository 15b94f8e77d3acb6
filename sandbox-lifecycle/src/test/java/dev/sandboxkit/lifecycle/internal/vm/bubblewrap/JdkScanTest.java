package dev.sandboxkit.lifecycle.internal.vm.bubblewrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 13: doctor says which JDKs it found and which it supports. */
class JdkScanTest {
  @TempDir Path root;

  private Path jdk(String name, String version) throws Exception {
    Path home = root.resolve(name);
    Files.createDirectories(home.resolve("bin"));
    Path java = Files.writeString(home.resolve("bin/java"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"x\"\nJAVA_VERSION=\"" + version + "\"\n");
    return home;
  }

  @Test
  void listsTheRuntimesWithTheirVersionsAndSkipsAliasesAndNonRuntimes() throws Exception {
    Path j17 = jdk("java-17-openjdk-amd64", "17.0.15");
    Path j25 = jdk("temurin-25-jdk-amd64", "25");
    Path j8 = jdk("java-8", "1.8.0_392");
    Files.createSymbolicLink(root.resolve("openjdk-17"), j17);
    Files.createDirectories(root.resolve("empty"));
    List<JdkScan.Jdk> found = JdkScan.under(root);
    assertEquals(List.of(j17, j8, j25), found.stream().map(JdkScan.Jdk::home).toList());
    assertEquals(List.of(17, 8, 25), found.stream().map(JdkScan.Jdk::feature).toList());
    assertEquals(List.of(true, false, true), found.stream().map(JdkScan.Jdk::supported).toList());
  }

  @Test
  void theDoctorLineNamesTheOneInUseTheRuleAndTheOthers() throws Exception {
    Path j17 = jdk("a17", "17.0.15");
    jdk("b8", "1.8.0_392");
    jdk("c25", "25");
    assertEquals(j17 + " (Java 17.0.15); supported: Java 17 or newer, chosen with JAVA_HOME; also found: "
        + root.resolve("b8") + " (1.8.0_392, not supported), " + root.resolve("c25") + " (25)",
        JdkScan.describe(j17, JdkScan.under(root)));
  }

  @Test
  void noFolderMeansNothingFound() {
    assertTrue(JdkScan.under(root.resolve("missing")).isEmpty());
    assertFalse(JdkScan.describe(root, List.of()).contains("also found"));
  }
}
