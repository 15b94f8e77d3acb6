package dev.sandboxkit.lifecycle.internal.vm.windows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The run's own folders (the Java runtime, the guest folder, the rendezvous folder, the run dir)
 * must not lie inside a folder the user maps into the sandbox (pure). The sandbox side is already
 * checked for overlap; this is the host side: a mapping of {@code C:\Users\me} would hand the
 * sandbox (read-write, or at least readable) the runtime that runs the agent, the nonce and the
 * launch files. Windows paths compare case-insensitively, with either separator.
 */
final class OwnFolders {
  private OwnFolders() {}

  /**
   * @param userHosts the host paths of the user's mappings
   * @param own the run's folders by what they are
   * @return the problem (which mapping contains which of our folders, and the fix), or empty
   */
  static Optional<String> conflict(List<String> userHosts, Map<String, String> own) {
    for (String host : userHosts) {
      String h = normal(host);
      for (Map.Entry<String, String> e : own.entrySet()) {
        String o = normal(e.getValue());
        if (o.equals(h) || o.startsWith(h + "\\")) {
          return Optional.of("the mapped host folder " + host + " contains the " + e.getKey() + " ("
              + e.getValue() + "), which the sandbox must not reach through a mapping; map a folder that"
              + " does not contain it");
        }
      }
    }
    return Optional.empty();
  }

  /** The run's folders in the order they are reported. */
  static Map<String, String> of(String javaHome, String guestDir, String rendezvousDir, String runDir) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("Java runtime", javaHome);
    m.put("guest agent folder", guestDir);
    m.put("rendezvous folder", rendezvousDir);
    m.put("run folder", runDir);
    return m;
  }

  private static String normal(String path) {
    String p = path.replace('/', '\\').toLowerCase(Locale.ROOT);
    while (p.endsWith("\\")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }
}
