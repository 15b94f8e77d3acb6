package dev.sandboxkit.lifecycle.internal.startup;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Whether the guest's class-data archive is used, and where it lives: a pure function of the
 * system properties and the environment.
 *
 * <p>Off when {@code SANDBOXKIT_NO_CDS} is set to anything (like the {@code ./sandboxkit} launcher)
 * or {@code -Dsandboxkit.cds=false}. The folder is {@code -Dsandboxkit.cds.dir}, else
 * {@code $XDG_CACHE_HOME/sandboxkit/cds} (an absolute XDG_CACHE_HOME only, as the XDG spec says),
 * else {@code $HOME/.cache/sandboxkit/cds} — the folder where the launcher keeps its own
 * {@code cli-*.jsa}, which this code only removes to keep the folder under its size bound
 * ({@link CdsStore#MAX_BYTES}).
 *
 * @param dir the cache folder; empty when off
 * @param why when off, why (for the debug log)
 */
public record CdsConfig(Optional<Path> dir, String why) {
  static final String PROPERTY_ENABLED = "sandboxkit.cds";
  static final String PROPERTY_DIR = "sandboxkit.cds.dir";
  static final String ENV_OFF = "SANDBOXKIT_NO_CDS";

  public CdsConfig {
    Objects.requireNonNull(dir, "dir");
    why = why == null ? "" : why;
  }

  public static CdsConfig at(Path dir) {
    return new CdsConfig(Optional.of(dir), "");
  }

  public static CdsConfig off(String why) {
    return new CdsConfig(Optional.empty(), why);
  }

  public boolean enabled() {
    return dir.isPresent();
  }

  /**
   * These settings with a library user's builder options on top ({@code Sandbox.Builder.cacheDir},
   * {@code classDataArchives}), which win over the system properties and the environment: off when
   * {@code on} is false; else the given folder; else, when {@code on} is true, the default folder even
   * if {@code SANDBOXKIT_NO_CDS} or {@code -Dsandboxkit.cds=false} turned them off; else unchanged.
   */
  public CdsConfig override(Optional<Path> folder, Optional<Boolean> on) {
    return override(folder, on, System::getProperty, System.getenv());
  }

  CdsConfig override(Optional<Path> folder, Optional<Boolean> on, UnaryOperator<String> properties,
      Map<String, String> env) {
    if (on.isPresent() && !on.get()) {
      return off("class-data archives turned off by the builder (classDataArchives(false))");
    }
    if (folder.isPresent()) {
      return at(folder.get().toAbsolutePath());
    }
    if (on.isPresent() && !enabled()) {
      Map<String, String> withoutOff = new java.util.HashMap<>(env);
      withoutOff.remove(ENV_OFF);
      return resolve(k -> k.equals(PROPERTY_ENABLED) ? null : properties.apply(k), withoutOff);
    }
    return this;
  }

  /** This JVM's settings. */
  public static CdsConfig fromEnvironment() {
    return resolve(System::getProperty, System.getenv());
  }

  /**
   * The decision table.
   *
   * @param properties system property lookup (null when unset)
   * @param env the environment
   */
  public static CdsConfig resolve(UnaryOperator<String> properties, Map<String, String> env) {
    String off = env.get(ENV_OFF);
    if (off != null && !off.isEmpty()) {
      return off(ENV_OFF + " is set");
    }
    String enabled = properties.apply(PROPERTY_ENABLED);
    if (enabled != null && enabled.strip().toLowerCase(Locale.ROOT).equals("false")) {
      return off("-D" + PROPERTY_ENABLED + "=false");
    }
    String dir = properties.apply(PROPERTY_DIR);
    if (dir != null && !dir.isBlank()) {
      return at(Path.of(dir).toAbsolutePath());
    }
    String xdg = env.get("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
      return at(Path.of(xdg, "sandboxkit", "cds"));
    }
    String home = env.get("HOME");
    if (home != null && !home.isBlank() && Path.of(home).isAbsolute()) {
      return at(Path.of(home, ".cache", "sandboxkit", "cds"));
    }
    return off("no cache folder: neither -D" + PROPERTY_DIR + ", XDG_CACHE_HOME nor HOME is set");
  }
}
