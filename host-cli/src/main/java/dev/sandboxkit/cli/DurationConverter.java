package dev.sandboxkit.cli;

import dev.sandboxkit.lifecycle.ExecutionRequest;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses {@code --timeout}: a whole number with a unit, {@code 500ms}, {@code 30s}, {@code 2m},
 * {@code 1h}; {@code 0} means no timeout (returned as {@link Duration#ZERO}).
 */
final class DurationConverter implements ITypeConverter<Duration> {
  private static final Pattern FORM = Pattern.compile("(\\d{1,12})(ms|s|m|h)");

  @Override
  public Duration convert(String value) {
    return parse(value);
  }

  static Duration parse(String value) {
    String v = value.trim();
    if (v.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = FORM.matcher(v);
    if (!m.matches()) {
      throw new TypeConversionException(
          "'" + value + "' is not a duration: use a whole number with a unit, e.g. 500ms, 30s, 2m, 1h"
              + " (0 = no timeout)");
    }
    long n = Long.parseLong(m.group(1));
    Duration d = switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
    if (d.compareTo(ExecutionRequest.MAX_TIMEOUT) > 0) {
      throw new TypeConversionException(
          "'" + value + "' is longer than the maximum timeout of "
              + ExecutionRequest.MAX_TIMEOUT.toMillis() + " ms (about 49.7 days); use 0 for no timeout");
    }
    return d;
  }

  /** Formats a duration the way {@code --timeout} takes it (used in messages). */
  static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 3_600_000 == 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }
}
