package dev.sandboxkit.lifecycle;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The condition behind {@link EnabledIfBubblewrapAvailable}. */
final class BubblewrapAvailableCondition implements ExecutionCondition {

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    Optional<String> missing = missing();
    if (missing.isEmpty()) {
      return ConditionEvaluationResult.enabled("bubblewrap and the guest jar are available");
    }
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new IllegalStateException("CI=true but " + missing.get()
          + ": CI must run the bubblewrap end-to-end tests, not skip them");
    }
    return ConditionEvaluationResult.disabled(missing.get());
  }

  static Optional<String> missing() {
    if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
      return Optional.of("not a Linux host");
    }
    boolean bwrap = Files.isExecutable(Path.of("/usr/bin/bwrap")) || Files.isExecutable(Path.of("/bin/bwrap"))
        || Files.isExecutable(Path.of("/usr/local/bin/bwrap"));
    if (!bwrap) {
      return Optional.of("bwrap is not installed (apt-get install bubblewrap)");
    }
    String jar = System.getProperty("sandboxkit.guest.jar");
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      return Optional.of("the guest jar is not built (system property sandboxkit.guest.jar=" + jar + ")");
    }
    return Optional.empty();
  }
}
