package dev.sandboxkit.lifecycle;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The condition behind {@link EnabledIfBubblewrapAvailable}. The decision is the pure {@link
 * #decide(Optional, String)}; this class only gathers its inputs from the host.
 */
final class BubblewrapAvailableCondition implements ExecutionCondition {

  /** What to do with a test that needs bubblewrap. */
  sealed interface Decision {
    /** Run it. */
    record Enabled(String reason) implements Decision {}

    /** Skip it, saying why (a developer machine without bwrap). */
    record Disabled(String reason) implements Decision {}

    /** Fail it: CI promised bwrap and it is missing, so a skip would hide the end-to-end tests. */
    record Fail(String message) implements Decision {}
  }

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    Decision d = decide(missing(), System.getenv("CI"));
    if (d instanceof Decision.Fail f) {
      throw new IllegalStateException(f.message());
    }
    if (d instanceof Decision.Disabled x) {
      return ConditionEvaluationResult.disabled(x.reason());
    }
    return ConditionEvaluationResult.enabled(((Decision.Enabled) d).reason());
  }

  /**
   * The decision table.
   *
   * @param missing what is missing (bwrap, the guest jar, a Linux host), empty when all is there
   * @param ciEnv the value of the {@code CI} environment variable (null when unset); {@code true} or
   *     {@code 1} (any case) means CI
   */
  static Decision decide(Optional<String> missing, String ciEnv) {
    Objects.requireNonNull(missing, "missing");
    if (missing.isEmpty()) {
      return new Decision.Enabled("bubblewrap and the guest jar are available");
    }
    if (isCi(ciEnv)) {
      return new Decision.Fail("CI=" + ciEnv + " but " + missing.get()
          + ": CI must run the bubblewrap end-to-end tests, not skip them");
    }
    return new Decision.Disabled(missing.get());
  }

  static boolean isCi(String ciEnv) {
    if (ciEnv == null) {
      return false;
    }
    String v = ciEnv.strip().toLowerCase(Locale.ROOT);
    return v.equals("true") || v.equals("1");
  }

  /**
   * What is missing on this host (pure).
   *
   * @param osName {@code os.name}
   * @param bwrapFound whether an executable {@code bwrap} was found
   * @param guestJar the {@code sandboxkit.guest.jar} property (null when unset)
   * @param guestJarExists whether that file exists
   */
  static Optional<String> missing(String osName, boolean bwrapFound, String guestJar, boolean guestJarExists) {
    if (osName == null || !osName.toLowerCase(Locale.ROOT).contains("linux")) {
      return Optional.of("not a Linux host (os.name=" + osName + ")");
    }
    if (!bwrapFound) {
      return Optional.of("bwrap is not installed (apt-get install bubblewrap)");
    }
    if (guestJar == null || !guestJarExists) {
      return Optional.of("the guest jar is not built (system property sandboxkit.guest.jar=" + guestJar + ")");
    }
    return Optional.empty();
  }

  static Optional<String> missing() {
    boolean bwrap = Files.isExecutable(Path.of("/usr/bin/bwrap")) || Files.isExecutable(Path.of("/bin/bwrap"))
        || Files.isExecutable(Path.of("/usr/local/bin/bwrap"));
    String jar = System.getProperty("sandboxkit.guest.jar");
    return missing(System.getProperty("os.name", ""), bwrap, jar, jar != null && Files.isRegularFile(Path.of(jar)));
  }
}
