package dev.sandboxkit.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command's environment from {@code --env K=V}, {@code --env-pass NAME} and the host's
 * defaults, for {@code run} and {@code exec} alike. Order, later wins: the host's {@code TERM},
 * {@code LANG} and {@code LC_*} when set (so a terminal program and the user's locale work as
 * outside); then an mxc request's {@code process.env}; then {@code --env-pass}; then {@code --env}.
 * The guest overlays the result on its base environment (PATH, HOME, ...). Nothing else of the
 * host's environment is passed: it may hold secrets. Values are never printed.
 */
final class EnvOptions {
  private EnvOptions() {}

  /** Adds {@code --env} and {@code --env-pass} to {@code spec}, bound to two List fields of {@code target}. */
  static void addTo(picocli.CommandLine.Model.CommandSpec spec, Object target, String envField, String passField) {
    spec.addOption(Specs.option(target, envField, "--env").paramLabel("NAME=VALUE")
        .description("set an environment variable for the command (repeatable; the host's TERM, LANG "
            + "and LC_* are passed by default, nothing else of the host's environment)").build());
    spec.addOption(Specs.option(target, passField, "--env-pass").paramLabel("NAME")
        .description("copy the host's value of NAME into the command's environment (repeatable)").build());
  }

  /** True for a name passed from the host by default. */
  static boolean passedByDefault(String name) {
    return name.equals("TERM") || name.equals("LANG") || name.startsWith("LC_");
  }

  /**
   * @param config {@code KEY=VALUE} entries of an mxc request's {@code process.env} (may be empty)
   * @param env {@code --env} values, each {@code KEY=VALUE}
   * @param pass {@code --env-pass} names
   * @param host the host's environment ({@code System.getenv()})
   * @throws CliException (125) for a malformed entry or a {@code --env-pass} name the host lacks
   */
  static Map<String, String> resolve(List<String> config, List<String> env, List<String> pass,
      Map<String, String> host) {
    Map<String, String> out = new LinkedHashMap<>();
    host.forEach((k, v) -> {
      if (passedByDefault(k) && valid(k) && v.indexOf('\0') < 0) {
        out.put(k, v);
      }
    });
    // the launcher gave the JVM a UTF-8 LC_CTYPE: the command gets the host's own values
    restore(out, host, "LC_ALL");
    restore(out, host, "LC_CTYPE");
    for (String e : config) {
      put(out, e, "process.env entry", "write it as KEY=VALUE");
    }
    for (String name : pass) {
      if (!valid(name)) {
        throw CliException.usage("--env-pass '" + Text.escape(name) + "' is not a variable name",
            "pass a name such as --env-pass HOME (no '=', not empty)");
      }
      String v = host.get(name);
      if (v == null) {
        throw CliException.usage("--env-pass " + Text.escape(name) + ": the variable is not set on the host",
            "set it (export " + Text.escape(name) + "=...) or use --env " + Text.escape(name) + "=VALUE");
      }
      out.put(name, v);
    }
    for (String e : env) {
      put(out, e, "--env", "write it as --env KEY=VALUE (--env-pass NAME copies the host's value)");
    }
    return out;
  }

  private static void restore(Map<String, String> out, Map<String, String> host, String name) {
    String saved = host.get("SANDBOXKIT_HOST_" + name);
    if (saved == null) {
      return;
    }
    if (saved.equals("-") || saved.isEmpty()) {
      out.remove(name);
    } else {
      out.put(name, saved);
    }
  }

  private static void put(Map<String, String> out, String entry, String what, String todo) {
    int eq = entry.indexOf('=');
    String name = eq < 0 ? entry : entry.substring(0, eq);
    if (eq <= 0 || !valid(name)) {
      throw CliException.usage(what + " '" + Text.escape(name) + "' is not KEY=VALUE", todo);
    }
    String value = entry.substring(eq + 1);
    if (value.indexOf('\0') >= 0) {
      throw CliException.usage(what + " " + Text.escape(name) + " has a NUL character in its value",
          "remove it");
    }
    out.put(name, value);
  }

  /** A name the protocol carries: not empty, no '=', no NUL. */
  static boolean valid(String name) {
    return !name.isEmpty() && name.indexOf('=') < 0 && name.indexOf('\0') < 0;
  }
}
