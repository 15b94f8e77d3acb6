package dev.sandboxkit.guest.firewall;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Linux: the sandbox's network namespace must have no interface but {@code lo}. Reads
 * {@code /proc/net/dev} (which shows the reader's namespace and exists under a fresh /proc),
 * falling back to {@code /sys/class/net}.
 */
final class LoopbackOnlyCheck {
  static final String LOOPBACK = "lo";

  private LoopbackOnlyCheck() {}

  /** The verdict for a list of interface names (pure). */
  static NetworkVerdict verdict(List<String> interfaces) {
    List<String> others =
        interfaces.stream().filter(n -> !n.equals(LOOPBACK)).sorted().collect(Collectors.toList());
    if (others.isEmpty()) {
      return NetworkVerdict.OK;
    }
    return NetworkVerdict.refuse(
        "network lockdown failed: --network block was requested but the sandbox's network namespace"
            + " has interface(s) " + String.join(", ", others) + " besides loopback; refusing to run"
            + " jobs (start the agent in a namespace without network, e.g. bwrap --unshare-net, or"
            + " use --network allow when the policy allows the network)");
  }

  /** Interface names from the text of {@code /proc/net/dev} (pure). */
  static List<String> parseProcNetDev(String text) {
    List<String> names = new ArrayList<>();
    for (String line : text.split("\n")) {
      int colon = line.indexOf(':');
      if (colon <= 0 || line.contains("|")) {
        continue;
      }
      String name = line.substring(0, colon).trim();
      if (!name.isEmpty()) {
        names.add(name);
      }
    }
    return names;
  }

  /** Checks the namespace the agent runs in. Fails closed when neither source is readable. */
  static NetworkVerdict checkCurrentNamespace(Path procNetDev, Path sysClassNet) {
    try {
      return verdict(parseProcNetDev(Files.readString(procNetDev)));
    } catch (IOException | RuntimeException procFailure) {
      try (Stream<Path> s = Files.list(sysClassNet)) {
        return verdict(s.map(p -> p.getFileName().toString()).collect(Collectors.toList()));
      } catch (IOException | RuntimeException sysFailure) {
        return NetworkVerdict.refuse(
            "network lockdown failed: cannot list the network interfaces (" + procNetDev + ": "
                + procFailure.getMessage() + "; " + sysClassNet + ": " + sysFailure.getMessage()
                + "); refusing to run jobs because --network block was requested");
      }
    }
  }
}
