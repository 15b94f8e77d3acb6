package dev.sandboxkit.lifecycle.internal.vm.bubblewrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The guest's JVM flags start every runtime we claim (a flag a runtime does not know would stop the
 * guest before it says anything): the test's own (17) and Java 25 where the machine has it, without
 * a warning (the guest's log is one line per record).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GuestJvmFlagsTest {
  static final Path JAVA_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

  private static String runVersion(Path java) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(java.toString());
    cmd.addAll(BwrapCommand.JVM_FLAGS);
    cmd.add("-version");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  /**
   * Module-system options on the command line turn the JDK's archived module graph off (slower
   * start-up): native access and {@code java.io}'s opening come from the guest jar's manifest.
   */
  @Test
  void noModuleOptionsOnTheCommandLine() {
    for (String f : BwrapCommand.JVM_FLAGS) {
      assertFalse(f.startsWith("--enable-native-access") || f.startsWith("--add-opens")
          || f.startsWith("--add-exports") || f.startsWith("--add-modules"), f);
    }
  }

  @Test
  void theRunningRuntimeAcceptsTheFlags() throws Exception {
    runVersion(Path.of(System.getProperty("java.home"), "bin", "java"));
  }

  @Test
  void java25AcceptsTheFlagsWithoutWarnings() throws Exception {
    assumeTrue(Files.isExecutable(JAVA_25), "Java 25 is not installed at " + JAVA_25);
    String out = runVersion(JAVA_25);
    assertFalse(out.contains("WARNING"), out);
  }
}
