package dev.sandboxkit.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --env K=V} (and mxc's {@code process.env} entries) parsed once for every command that
 * passes environment variables to the guest: the name is non-empty and has no '=' or NUL, the value
 * has no NUL; a later entry for the same name wins; order is kept. Values never appear in messages.
 */
final class EnvVars {
  private EnvVars() {}

  /**
   * @param entries {@code K=V} strings
   * @param what the option or config key they came from, for messages ("--env", "process.env")
   */
  static Map<String, String> parse(List<String> entries, String what) {
    Map<String, String> env = new LinkedHashMap<>();
    for (String e : entries) {
      int eq = e.indexOf('=');
      if (eq <= 0) {
        throw CliException.usage("invalid " + what + " entry '" + Text.escape(eq < 0 ? e : "")
            + "': expected NAME=VALUE", "pass e.g. " + what + (what.startsWith("--") ? " " : ": ")
            + "FOO=bar (the name must not be empty)");
      }
      String name = e.substring(0, eq);
      String value = e.substring(eq + 1);
      if (name.indexOf('\0') >= 0 || value.indexOf('\0') >= 0) {
        throw CliException.usage("invalid " + what + " entry for '" + Text.escape(name.replace('\0', '?'))
            + "': it contains a NUL character", "remove the NUL character");
      }
      env.remove(name);
      env.put(name, value);
    }
    return env;
  }
}
