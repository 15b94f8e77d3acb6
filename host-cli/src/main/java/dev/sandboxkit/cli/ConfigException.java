package dev.sandboxkit.cli;

/**
 * An mxc request that cannot be read or is not valid. The message follows mxc's wording
 * ({@code Invalid configuration at `process.bogus`: unknown field `bogus`, expected one of ...
 * at line 3 column 5}); {@link #hint()} says what to do.
 */
final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String hint;

  ConfigException(String message, String hint) {
    super(message);
    this.hint = hint;
  }

  ConfigException(String message) {
    this(message, "fix the request and retry (see 'sandboxkit run --help')");
  }

  String hint() {
    return hint;
  }

  /** As a CLI failure: exit 125, nothing launched. */
  CliException toCli() {
    return CliException.usage("configuration parse error: " + getMessage(), hint);
  }
}
