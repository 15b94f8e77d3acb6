package dev.sandboxkit.guest;

import dev.sandboxkit.guest.firewall.NetworkMode;
import dev.sandboxkit.guest.listener.Transport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The agent's command line, parsed without a CLI library (the jar stays small).
 *
 * @param advertiseHost tcp only: address to advertise instead of the first non-loopback IPv4
 * @param help {@code --help} was given; nothing else matters then
 */
record AgentOptions(
    Path rendezvous,
    Transport transport,
    NetworkMode network,
    String advertiseHost,
    boolean verbose,
    boolean help,
    boolean version,
    Duration nonceWait,
    Duration handshakeDeadline,
    Duration sessionWait) {

  static final Duration DEFAULT_NONCE_WAIT = Duration.ofSeconds(15);
  static final Duration DEFAULT_HANDSHAKE = Duration.ofSeconds(1);
  static final Duration DEFAULT_SESSION_WAIT = Duration.ofSeconds(600);

  /** Thrown for a bad command line; the message says which option and what is allowed. */
  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  static AgentOptions parse(List<String> args) throws UsageException {
    Path rendezvous = null;
    Transport transport = null;
    NetworkMode network = NetworkMode.BLOCK;
    String advertise = null;
    boolean verbose = false;
    boolean help = false;
    boolean version = false;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      String name = a;
      String value = null;
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 0) {
        name = a.substring(0, eq);
        value = a.substring(eq + 1);
      }
      switch (name) {
        case "--help":
        case "-h":
          help = true;
          break;
        case "--version":
          version = true;
          break;
        case "--verbose":
          verbose = true;
          break;
        case "--rendezvous":
        case "--transport":
        case "--network":
        case "--advertise-host":
          if (value == null) {
            if (i + 1 >= args.size()) {
              throw new UsageException(name + " needs a value");
            }
            value = args.get(++i);
          }
          try {
            if (name.equals("--rendezvous")) {
              rendezvous = Path.of(value);
            } else if (name.equals("--transport")) {
              transport = Transport.parse(value);
            } else if (name.equals("--network")) {
              network = NetworkMode.parse(value);
            } else {
              advertise = value;
            }
          } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
          }
          break;
        default:
          throw new UsageException("unknown option '" + a + "' (see --help)");
      }
    }
    if (!help && !version) {
      if (rendezvous == null) {
        throw new UsageException("--rendezvous DIR is required");
      }
      if (transport == null) {
        throw new UsageException("--transport tcp|unix is required");
      }
      if (advertise != null && transport != Transport.TCP) {
        throw new UsageException("--advertise-host only applies to --transport tcp");
      }
    }
    return new AgentOptions(
        rendezvous, transport, network, advertise, verbose, help, version,
        DEFAULT_NONCE_WAIT, DEFAULT_HANDSHAKE, DEFAULT_SESSION_WAIT);
  }

  AgentOptions withWaits(Duration nonceWait, Duration handshake, Duration sessionWait) {
    return new AgentOptions(
        rendezvous, transport, network, advertiseHost, verbose, help, version, nonceWait, handshake,
        sessionWait);
  }
}
