package dev.sandboxkit.guest.listener;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** What goes into rendezvous.txt. */
final class AdvertisedAddress {
  static final String UNIX_PREFIX = "unix:";

  private AdvertisedAddress() {}

  static String unix(String socketName) {
    return UNIX_PREFIX + socketName;
  }

  static String tcp(String host, int port) {
    return host + ":" + port;
  }

  /** The first IPv4 address of an up, non-loopback interface, in the order the OS lists them. */
  static Optional<String> firstNonLoopbackIpv4() throws SocketException {
    List<NetworkInterface> ifs = Collections.list(NetworkInterface.getNetworkInterfaces());
    for (NetworkInterface ni : ifs) {
      if (!ni.isUp() || ni.isLoopback()) {
        continue;
      }
      for (InetAddress a : Collections.list(ni.getInetAddresses())) {
        if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
          return Optional.of(a.getHostAddress());
        }
      }
    }
    return Optional.empty();
  }
}
