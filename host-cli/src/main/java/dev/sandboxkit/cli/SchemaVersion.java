package dev.sandboxkit.cli;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The request's {@code version}: semver, compared on major.minor.patch only (pre-release labels
 * ignored); supported range {@code >=0.6, <=0.9} (every 0.6.x through 0.9.x). Absent = no check.
 */
record SchemaVersion(Optional<int[]> parts) {
  private static final Pattern SEMVER = Pattern.compile(
      "(0|[1-9]\\d{0,8})\\.(0|[1-9]\\d{0,8})\\.(0|[1-9]\\d{0,8})"
          + "(?:-[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?(?:\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?");
  static final String SUPPORTED = ">=0.6, <=0.9";

  static final SchemaVersion ABSENT = new SchemaVersion(Optional.empty());

  /** Parses and range-checks; {@code null} or "" = absent. */
  static SchemaVersion check(String value) throws ConfigException {
    if (value == null || value.isEmpty()) {
      return ABSENT;
    }
    Matcher m = SEMVER.matcher(value);
    if (!m.matches()) {
      throw new ConfigException("Invalid schema version '" + Text.escape(value)
          + "': must be semver (e.g., 'X.Y.Z' or 'X.Y.Z-alpha')", "use e.g. \"version\": \"0.6.0-alpha\"");
    }
    int major = Integer.parseInt(m.group(1));
    int minor = Integer.parseInt(m.group(2));
    int patch = Integer.parseInt(m.group(3));
    if (major == 0 && minor < 6) {
      throw new ConfigException("Config schema version '" + Text.escape(value)
          + "' is older than supported (supported: " + SUPPORTED + "). Update your config.",
          "update the config to schema 0.6 or later");
    }
    if (major > 0 || minor > 9) {
      throw new ConfigException("Config schema version '" + Text.escape(value)
          + "' is newer than supported (supported: " + SUPPORTED + "). Upgrade sandboxkit.",
          "use a schema version from 0.6 to 0.9, or upgrade sandboxkit");
    }
    return new SchemaVersion(Optional.of(new int[] {major, minor, patch}));
  }

  /** True when the version is given and at least {@code major.minor}. */
  boolean atLeast(int major, int minor) {
    return parts.map(p -> p[0] > major || (p[0] == major && p[1] >= minor)).orElse(false);
  }
}
