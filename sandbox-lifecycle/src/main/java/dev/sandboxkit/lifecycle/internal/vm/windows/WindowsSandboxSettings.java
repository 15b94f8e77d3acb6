package dev.sandboxkit.lifecycle.internal.vm.windows;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;

/**
 * Driver settings.
 *
 * @param javaHome the host Java runtime to map at {@code C:\Sandbox-Java} instead of the runner's
 *     (system property {@value #JAVA_HOME_PROPERTY})
 * @param memoryInMb the VM's memory (system property {@value #MEMORY_PROPERTY}); empty = Windows
 *     Sandbox's default
 * @param jvmOptions the guest JVM's options
 */
record WindowsSandboxSettings(Optional<Path> javaHome, OptionalLong memoryInMb, List<String> jvmOptions) {
  static final String JAVA_HOME_PROPERTY = "sandboxkit.windows.javaHome";
  static final String MEMORY_PROPERTY = "sandboxkit.windows.memoryInMB";

  static final WindowsSandboxSettings DEFAULT =
      new WindowsSandboxSettings(Optional.empty(), OptionalLong.empty(), BootstrapScript.DEFAULT_JVM_OPTIONS);

  WindowsSandboxSettings {
    jvmOptions = List.copyOf(jvmOptions);
    if (memoryInMb.isPresent() && memoryInMb.getAsLong() <= 0) {
      throw new IllegalArgumentException("MemoryInMB must be positive, got " + memoryInMb.getAsLong());
    }
  }

  /**
   * Settings from properties (blank = unset).
   *
   * @throws IllegalArgumentException naming the property when a value is malformed
   */
  static WindowsSandboxSettings from(UnaryOperator<String> property) {
    String home = property.apply(JAVA_HOME_PROPERTY);
    String mem = property.apply(MEMORY_PROPERTY);
    OptionalLong memory = OptionalLong.empty();
    if (mem != null && !mem.isBlank()) {
      try {
        memory = OptionalLong.of(Long.parseLong(mem.trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(MEMORY_PROPERTY + " must be a whole number of megabytes, got '" + mem + "'");
      }
      if (memory.getAsLong() <= 0) {
        throw new IllegalArgumentException(MEMORY_PROPERTY + " must be positive, got " + mem.trim());
      }
    }
    return new WindowsSandboxSettings(
        home == null || home.isBlank() ? Optional.empty() : Optional.of(Path.of(home.trim())),
        memory, BootstrapScript.DEFAULT_JVM_OPTIONS);
  }
}
