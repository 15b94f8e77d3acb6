package dev.sandboxkit.lifecycle.internal.vm.bubblewrap;

import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * The host's /etc as the sandbox sees it: an allow list, each entry bound read-only when present.
 * What ordinary commands resolve through is in (the alternatives links behind {@code awk}, {@code cc},
 * {@code java}; certificates; name service, locale, time zone and dynamic linker configuration;
 * the system's Python and Java settings). Everything else stays out, on purpose: password hashes
 * ({@code shadow}, {@code gshadow}), SSH host keys ({@code ssh/}), {@code sudoers}, PAM and
 * {@code security/}, {@code machine-id} and {@code hostname} (identify the host), and configuration
 * that often carries credentials ({@code pip.conf}, {@code npmrc}, {@code wgetrc}, {@code gitconfig},
 * {@code maven/}, {@code environment}). {@code /etc/ssl/private} is hidden inside {@code /etc/ssl}.
 */
final class EtcView {
  /** Exact names under /etc. */
  static final List<String> NAMES = List.of(
      "passwd", "group", "hosts", "nsswitch.conf", "resolv.conf", "host.conf", "gai.conf", "localtime",
      "timezone", "ld.so.cache", "ld.so.conf", "ld.so.conf.d", "alternatives", "ssl", "ca-certificates",
      "ca-certificates.conf", "pki", "crypto-policies", "protocols", "services", "networks", "ethertypes", "rpc",
      "mime.types", "magic", "magic.mime", "locale.alias", "locale.conf", "bash.bashrc", "inputrc", "shells",
      "os-release", "lsb-release", "debian_version", "terminfo", "vim", "perl", "python3", "xml", "sgml", "fonts",
      "manpath.config");
  /** Name prefixes: versioned Java and Python settings (/etc/java-17-openjdk, /etc/python3.11). */
  static final List<String> PREFIXES = List.of("java-", "python3.");
  /** Shown as a symlink into the sandbox's own /proc, never bound. */
  static final String MTAB = "/etc/mtab";
  /** Hidden inside a visible entry. */
  static final List<String> HIDDEN = List.of("/etc/ssl/private");

  private EtcView() {}

  /** The visible entries among the host's /etc names, as absolute paths, sorted. */
  static List<String> select(Collection<String> hostNames) {
    TreeSet<String> out = new TreeSet<>();
    for (String n : hostNames) {
      if (NAMES.contains(n) || PREFIXES.stream().anyMatch(n::startsWith)) {
        out.add("/etc/" + n);
      }
    }
    return List.copyOf(out);
  }
}
