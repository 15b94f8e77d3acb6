package dev.sandboxkit.lifecycle.internal.rendezvous;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/** The address a guest advertises in {@code rendezvous.txt}: {@code ip:port} or {@code unix:NAME}. */
public sealed interface RendezvousAddress {

  /** Resolves to a socket address; {@code rendezvousDir} is the host's view of the folder. */
  SocketAddress resolve(Path rendezvousDir);

  /** A TCP endpoint (IPv4 literal only: the guest advertises its first non-loopback IPv4). */
  record Tcp(String ip, int port) implements RendezvousAddress {
    @Override
    public SocketAddress resolve(Path rendezvousDir) {
      try {
        return new InetSocketAddress(InetAddress.getByName(ip), port);
      } catch (java.net.UnknownHostException e) {
        throw new IllegalStateException("validated IPv4 literal did not resolve: " + ip, e);
      }
    }

    @Override
    public String toString() {
      return ip + ":" + port;
    }
  }

  /** A Unix domain socket named {@code name} inside the rendezvous folder. */
  record Unix(String name) implements RendezvousAddress {
    @Override
    public SocketAddress resolve(Path rendezvousDir) {
      return UnixDomainSocketAddress.of(rendezvousDir.resolve(name));
    }

    @Override
    public String toString() {
      return "unix:" + name;
    }
  }

  /** Unix socket names: a plain file name (no separators, not . or ..), at most 64 chars. */
  Pattern UNIX_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  Pattern IPV4 =
      Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");

  /**
   * Parses the file content (surrounding whitespace and one trailing newline are ignored).
   *
   * @return the address, or empty when the text is not (yet) a valid address
   */
  static Optional<RendezvousAddress> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String t = text.strip();
    if (t.startsWith("unix:")) {
      String name = t.substring("unix:".length());
      if (!UNIX_NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
        return Optional.empty();
      }
      return Optional.of(new Unix(name));
    }
    int colon = t.lastIndexOf(':');
    if (colon <= 0 || colon == t.length() - 1) {
      return Optional.empty();
    }
    String ip = t.substring(0, colon);
    String portText = t.substring(colon + 1);
    if (!IPV4.matcher(ip).matches() || portText.length() > 5 || !portText.chars().allMatch(Character::isDigit)) {
      return Optional.empty();
    }
    int port = Integer.parseInt(portText);
    if (port < 1 || port > 65535) {
      return Optional.empty();
    }
    return Optional.of(new Tcp(ip, port));
  }
}
